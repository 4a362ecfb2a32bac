// The CloudFront viewer-request function (cloudfront-js-2.0), kept as source text so a test can run it.
import { DISTRIBUTION_HOST_HEADER, FORWARDED_HOST_HEADER, STATIC_PATHS } from '../../lambdas/declarations/routes.ts';

/** The object in the page bucket that `/` serves. */
export const PAGE_OBJECT = '/index.html';

/**
 * Handlers build `shortUrl` and the "points at itself" check from `x-forwarded-host`; the origin request
 * policy must drop the viewer's Host (API Gateway would answer 403), so the function copies it here first,
 * overwriting whatever the viewer sent under that name. It also names the distribution's own domain, which
 * answers beside a custom domain: the functions learn it per request, since putting it in their environment
 * would make a CloudFormation cycle (distribution -> API -> functions -> distribution).
 * `/` is the page, stored as `/index.html`.
 */
export const VIEWER_REQUEST_CODE = `function handler(event) {
  var request = event.request;
  var host = request.headers.host;
  if (host) {
    request.headers['${FORWARDED_HOST_HEADER}'] = { value: host.value };
  } else {
    delete request.headers['${FORWARDED_HOST_HEADER}'];
  }
  var distribution = event.context && event.context.distributionDomainName;
  if (distribution) {
    request.headers['${DISTRIBUTION_HOST_HEADER}'] = { value: distribution };
  } else {
    delete request.headers['${DISTRIBUTION_HOST_HEADER}'];
  }
  if (request.uri === '${STATIC_PATHS.root}') {
    request.uri = '${PAGE_OBJECT}';
  }
  return request;
}
`;
