import { apiFunctionHandler, buildModerateLink } from '../composition.ts';

export const handler = apiFunctionHandler('moderate-link', buildModerateLink);
