/** The page an unknown short link gets; the web page issue gives it its 90s look. */
export function notFoundPage(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>404 - link not found</title></head><body><h1>404 &mdash; this link is lost in cyberspace</h1><p><a href="/">Take me home</a></p></body></html>';
}
