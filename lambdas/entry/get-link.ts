import { apiFunctionHandler } from '../composition.ts';

export const handler = apiFunctionHandler('get-link');
