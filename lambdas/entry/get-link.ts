import { apiFunctionHandler, buildGetLink } from '../composition.ts';

export const handler = apiFunctionHandler('get-link', buildGetLink);
