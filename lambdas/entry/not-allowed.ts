import { notAllowedHandler } from '../handlers/not-allowed.ts';

export const handler = notAllowedHandler();
