/**
 * The page an unknown short link gets: 90s-style, styled only by `/assets/retro.css` (no inline
 * styles or scripts, so it renders under the page's strict Content-Security-Policy), with a way home.
 * Static text: nothing from the request is echoed back, so there is nothing to escape.
 */
export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>404 - this link is lost in cyberspace</title>
  <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/retro.css">
</head>
<body>
  <main class="lost">
    <p class="big404" aria-hidden="true">404</p>
    <h1>404 &mdash; this link is lost in cyberspace</h1>
    <div class="window">
      <h2 class="titlebar">Error</h2>
      <div class="window-body">
        <p><img src="/assets/warning.svg" alt="" width="32" height="32"></p>
        <p>The short link you followed does not exist, or its owner deleted it. Maybe it fell off the information superhighway!</p>
        <p><a class="bevel home" href="/">Take me home</a></p>
      </div>
    </div>
    <p><img src="/assets/under-construction.svg" alt="Under construction" width="120" height="60"></p>
  </main>
</body>
</html>
`;
}
