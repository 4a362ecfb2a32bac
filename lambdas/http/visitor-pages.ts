/**
 * The pages a visitor of a short link gets instead of a redirect: 90s-style, styled only by
 * `/assets/retro.css` (no inline styles or scripts, so they render under the page's strict
 * Content-Security-Policy), with a way home. Static text: nothing from the request or the link is
 * echoed back, so there is nothing to escape.
 */
interface VisitorPage {
  status: string;
  title: string;
  windowTitle: string;
  text: string;
}

function visitorPage(page: VisitorPage): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${page.status} - ${page.title}</title>
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/retro.css">
</head>
<body>
  <main class="lost">
    <p class="big404" aria-hidden="true">${page.status}</p>
    <h1>${page.status} &mdash; ${page.title}</h1>
    <div class="window">
      <h2 class="titlebar">${page.windowTitle}</h2>
      <div class="window-body">
        <p><img src="/assets/warning.svg" alt="" width="32" height="32"></p>
        <p>${page.text}</p>
        <p><a class="bevel home" href="/">Take me home</a></p>
      </div>
    </div>
    <p><img src="/assets/under-construction.svg" alt="Under construction" width="120" height="60"></p>
  </main>
</body>
</html>
`;
}

/** An unknown (or deleted) short link. */
export function notFoundPage(): string {
  return visitorPage({
    status: '404',
    title: 'this link is lost in cyberspace',
    windowTitle: 'Error',
    text: 'The short link you followed does not exist, or its owner deleted it. Maybe it fell off the information superhighway!',
  });
}

/** A short link past its expiry. */
export function expiredPage(): string {
  return visitorPage({
    status: '410',
    title: 'this link has expired',
    windowTitle: 'Expired',
    text: 'The short link you followed has expired: its owner set it to stop working at a given time, and that time has passed.',
  });
}

/** A short link an operator took down. */
export function disabledPage(): string {
  return visitorPage({
    status: '410',
    title: 'this link was disabled',
    windowTitle: 'Notice',
    text: 'The operators of this shortener disabled this short link, for example because it led to phishing, malware or other abuse. It no longer redirects anywhere.',
  });
}
