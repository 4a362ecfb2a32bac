import { describe, expect, it } from 'vitest';
import { classifyVisitor } from '../../../lambdas/domain/visit.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const CHROME_ANDROID_TABLET =
  'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAMSUNG =
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36';
const OPERA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0';

describe('analytics', () => {
  it.each([
    ['curl', 'curl/8.5.0'],
    ['Wget', 'Wget/1.21.3'],
    ['python-requests', 'python-requests/2.32.3'],
    ['Go-http-client', 'Go-http-client/1.1'],
    ['Node fetch', 'node'],
    ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ['Twitterbot', 'Twitterbot/1.0'],
    ['facebookexternalhit', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['Discordbot', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)'],
    ['LinkedInBot', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)'],
    ['WhatsApp', 'WhatsApp/2.23.20.0 A'],
    ['TelegramBot', 'TelegramBot (like TwitterBot)'],
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['an uptime monitor', 'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)'],
  ])('R1.2 %s is a bot, and nothing else of its visit is kept', (_, userAgent) => {
    expect(classifyVisitor({ userAgent, referer: 'https://x.example/a', country: 'DE' })).toEqual({ bot: true });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['blanks', '   '],
  ])('R1.1 a GET with %s for User-Agent is a bot', (_, userAgent) => {
    expect(classifyVisitor({ userAgent })).toEqual({ bot: true });
  });

  it.each([
    ['Chrome on Windows', CHROME_WINDOWS, 'desktop', 'Chrome'],
    ['Safari on an iPhone', SAFARI_IPHONE, 'mobile', 'Safari'],
    ['Safari on an iPad', SAFARI_IPAD, 'tablet', 'Safari'],
    ['Edge', EDGE, 'desktop', 'Edge'],
    ['Firefox on Linux', FIREFOX_LINUX, 'desktop', 'Firefox'],
    ['Chrome on an Android tablet', CHROME_ANDROID_TABLET, 'tablet', 'Chrome'],
    ['Samsung Internet', SAMSUNG, 'mobile', 'Samsung Internet'],
    ['Opera', OPERA, 'desktop', 'Opera'],
    ['something unknown', 'Mozilla/5.0 (PlayStation 5) NotABrowser/1.0', 'other', 'other'],
  ])('R1.3 a person on %s: device class and browser family', (_, userAgent, device, browser) => {
    expect(classifyVisitor({ userAgent })).toEqual({
      visit: { referrer: 'direct', country: 'unknown', device, browser },
    });
  });

  it.each([
    [undefined, 'direct'],
    ['', 'direct'],
    ['https://News.Example.COM/story?id=7#top', 'news.example.com'],
    ['http://user:pass@sub.example.org:8080/x', 'sub.example.org'],
    ['android-app://com.slack', 'com.slack'],
    ['not a url', 'direct'],
  ])('R1.3 R1.4 referrer %j is kept as its host only: %s', (referer, expected) => {
    expect(classifyVisitor({ userAgent: CHROME_WINDOWS, referer })).toMatchObject({ visit: { referrer: expected } });
  });

  it.each([
    ['DE', 'DE'],
    ['us', 'US'],
    [undefined, 'unknown'],
    ['XXX', 'unknown'],
    ['1A', 'unknown'],
  ])('R1.3 CloudFront-Viewer-Country %j becomes %s', (country, expected) => {
    expect(classifyVisitor({ userAgent: CHROME_WINDOWS, country })).toMatchObject({ visit: { country: expected } });
  });
});
