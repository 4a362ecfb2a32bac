import { apiFunctionHandler } from '../composition.ts';

export const handler = apiFunctionHandler('bulk-create-links');
