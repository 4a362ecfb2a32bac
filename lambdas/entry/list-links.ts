import { apiFunctionHandler, buildListLinks } from '../composition.ts';

export const handler = apiFunctionHandler('list-links', buildListLinks);
