import { apiFunctionHandler, buildDeleteLink } from '../composition.ts';

export const handler = apiFunctionHandler('delete-link', buildDeleteLink);
