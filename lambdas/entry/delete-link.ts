import { apiFunctionHandler } from '../composition.ts';

export const handler = apiFunctionHandler('delete-link');
