import { apiFunctionHandler } from '../composition.ts';

export const handler = apiFunctionHandler('list-links');
