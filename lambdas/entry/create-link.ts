import { apiFunctionHandler, buildCreateLink } from '../composition.ts';

export const handler = apiFunctionHandler('create-link', buildCreateLink);
