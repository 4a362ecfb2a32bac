import { apiFunctionHandler, buildEditLink } from '../composition.ts';

export const handler = apiFunctionHandler('edit-link', buildEditLink);
