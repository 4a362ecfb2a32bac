// Response builders shared by every handler, so that headers and error bodies cannot drift apart.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { disabledPage, expiredPage, notFoundPage } from './visitor-pages.ts';

export type ApiResponse = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

/**
 * Stops browsers and CDNs from reusing a response without asking again: a cached 301 would hide
 * every later click and keep a deleted link alive.
 */
export const NO_STORE = 'private, no-cache, no-store, max-age=0, must-revalidate';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): ApiResponse {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
}

export function errorBody(statusCode: number, message: string, headers: Record<string, string> = {}): ApiResponse {
  return json(statusCode, { error: message }, headers);
}

export function permanentRedirect(location: string): ApiResponse {
  return { statusCode: 301, headers: { location, 'cache-control': NO_STORE } };
}

function visitorHtml(statusCode: number, body: string): ApiResponse {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE }, body };
}

export const notFoundHtml = (): ApiResponse => visitorHtml(404, notFoundPage());

/** 410 for a link past its expiry, or one an operator disabled. */
export const goneHtml = (why: 'expired' | 'disabled'): ApiResponse =>
  visitorHtml(410, why === 'expired' ? expiredPage() : disabledPage());
