import { apiFunctionHandler, buildLinkStats } from '../composition.ts';

export const handler = apiFunctionHandler('link-stats', buildLinkStats);
