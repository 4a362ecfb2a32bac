import { apiFunctionHandler, buildBulkCreateLinks } from '../composition.ts';

export const handler = apiFunctionHandler('bulk-create-links', buildBulkCreateLinks);
