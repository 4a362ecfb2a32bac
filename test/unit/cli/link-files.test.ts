// The import/export file formats shared by the page and the command-line client.
import { describe, expect, it } from 'vitest';
import {
  chunkForBulk,
  type ExportedLink,
  importReport,
  LinkFileError,
  linksToCsv,
  linksToJson,
  parseCsv,
  planImport,
  readLinkFile,
  summarise,
  toCsv,
} from '../../../frontend/assets/link-files.js';

const link = (code: string, url: string, extra: Partial<ExportedLink> = {}): ExportedLink => ({
  link: code,
  url,
  shortUrl: `https://sho.rt/${code}`,
  created: '2026-11-01T10:00:00.000Z',
  count: 3,
  bots: 1,
  ...extra,
});

describe('cli', () => {
  describe('R1.1 CSV as RFC 4180 writes it', () => {
    it('R1.1 reads quoted fields with delimiters, escaped quotes and line breaks, CRLF records and a BOM', () => {
      const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\nplain,,last\r\n';
      expect(parseCsv(text)).toEqual([
        ['a', 'b', 'c'],
        ['x, y', 'say "hi"', 'line1\r\nline2'],
        ['plain', '', 'last'],
      ]);
    });

    it('R1.1 reads LF and CR line ends, skips blank lines, keeps a last record without line end', () => {
      expect(parseCsv('a,b\n\n1,2\r3,4')).toEqual([
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ]);
    });

    it('R1.1 detects ; and tab delimiters from the header line', () => {
      expect(parseCsv('url;alias\nhttps://a.example/;abc\n')).toEqual([
        ['url', 'alias'],
        ['https://a.example/', 'abc'],
      ]);
      expect(parseCsv('url\talias\nhttps://a.example/\tabc\n')[1]).toEqual(['https://a.example/', 'abc']);
    });

    it('R1.1 rejects a quote left open with a clear error', () => {
      expect(() => parseCsv('url\n"https://a.example/\n')).toThrow(LinkFileError);
    });

    it('R1.1 writes fields that need it quoted, with CRLF line ends', () => {
      expect(
        toCsv([
          ['a', 'b,c', 'd"e', ' f'],
          ['1', 'x\ny', '', 2],
        ]),
      ).toBe('a,"b,c","d""e"," f"\r\n1,"x\ny",,2\r\n');
    });
  });

  describe('R1.2 our own export, CSV and JSON', () => {
    const links = [
      link('spring-sale', 'https://shop.example/spring?a=1,2', { expiresAt: '2030-01-01T00:00:00.000Z' }),
      link('Ab3dEf9h', 'https://example.com/"quoted"'),
    ];

    it('R1.7 exports CSV with the documented columns, counts and bots included', () => {
      const [header, first] = parseCsv(linksToCsv(links));
      expect(header).toEqual(['link', 'url', 'shortUrl', 'created', 'expiresAt', 'count', 'bots']);
      expect(first).toEqual([
        'spring-sale',
        'https://shop.example/spring?a=1,2',
        'https://sho.rt/spring-sale',
        '2026-11-01T10:00:00.000Z',
        '2030-01-01T00:00:00.000Z',
        '3',
        '1',
      ]);
    });

    it('R1.7 exports JSON as the array of links the API returns', () => {
      expect(JSON.parse(linksToJson(links))).toEqual(links);
    });

    it('R1.2 reads its own CSV export back: url, alias = code, expiry', () => {
      const file = readLinkFile(linksToCsv(links));
      expect(file).toMatchObject({ source: 'shortener', kind: 'csv' });
      expect(file.rows).toEqual([
        {
          index: 0,
          input: {
            url: 'https://shop.example/spring?a=1,2',
            alias: 'spring-sale',
            expiresAt: '2030-01-01T00:00:00.000Z',
          },
        },
        { index: 1, input: { url: 'https://example.com/"quoted"', alias: 'Ab3dEf9h' } },
      ]);
    });

    it('R1.2 reads its own JSON export back, and a saved page of GET /links', () => {
      const rows = readLinkFile(linksToJson(links)).rows;
      expect(rows.map((row) => row.input?.alias)).toEqual(['spring-sale', 'Ab3dEf9h']);
      expect(readLinkFile(JSON.stringify({ items: links })).rows).toEqual(rows);
    });

    it('R1.2 reads a hand-made list with only a url column, or url and alias', () => {
      expect(readLinkFile('URL\r\nhttps://a.example/\r\n').rows).toEqual([
        { index: 0, input: { url: 'https://a.example/' } },
      ]);
      expect(readLinkFile('url,alias\nhttps://a.example/,mine\n').rows[0]?.input).toEqual({
        url: 'https://a.example/',
        alias: 'mine',
      });
    });
  });

  describe('R1.3 Bitly', () => {
    it("R1.3 reads Bitly's CSV export: Destination URL, custom back-half as alias, random hash ignored", () => {
      const csv = [
        'Title,Link,Custom Link,Destination URL,Date Created,Tags,Engagements',
        'Spring,bit.ly/3xYzAbC,bit.ly/spring-sale,https://shop.example/spring,2024-03-01 10:00:00,promo,12',
        '"Docs, v2",bit.ly/4qWeRtY,,https://docs.example/v2,2024-03-02 11:00:00,,0',
      ].join('\r\n');
      const file = readLinkFile(csv);
      expect(file.source).toBe('bitly');
      expect(file.rows).toEqual([
        { index: 0, input: { url: 'https://shop.example/spring', alias: 'spring-sale' } },
        { index: 1, input: { url: 'https://docs.example/v2' } },
      ]);
    });

    it("R1.3 reads Bitly's API field names (long_url, link, custom_bitlinks)", () => {
      const csv =
        'id,link,long_url,title,created_at,custom_bitlinks\n' +
        'bit.ly/3xYz,https://bit.ly/3xYz,https://a.example/,A,2024-01-01T00:00:00+0000,https://brand.example/launch\n';
      expect(readLinkFile(csv)).toMatchObject({
        source: 'bitly',
        rows: [{ index: 0, input: { url: 'https://a.example/', alias: 'launch' } }],
      });
    });
  });

  describe('R1.4 Shlink', () => {
    it("R1.4 reads the Shlink web client's CSV export: longUrl, shortCode as alias", () => {
      const csv =
        'createdAt,domain,shortCode,shortUrl,longUrl,title,tags,visits\n' +
        '2024-05-01T10:00:00+00:00,s.example,docs,https://s.example/docs,https://docs.example/,Docs,a|b,42\n';
      expect(readLinkFile(csv)).toMatchObject({
        source: 'shlink',
        rows: [{ index: 0, input: { url: 'https://docs.example/', alias: 'docs' } }],
      });
    });

    it('R1.4 reads the CSV shlink-importer takes (Long URL, Short code)', () => {
      const csv = 'Long URL,Short code,Domain,Title,Tags\nhttps://a.example/,abc123,,A,\n';
      expect(readLinkFile(csv).rows[0]?.input).toEqual({ url: 'https://a.example/', alias: 'abc123' });
    });
  });

  describe('R1.5 YOURLS', () => {
    it('R1.5 reads a dump of the YOURLS url table: keyword, url', () => {
      const csv = 'keyword,url,title,timestamp,ip,clicks\nozh,https://ozh.org/,Ozh,2024-01-01 00:00:00,127.0.0.1,5\n';
      expect(readLinkFile(csv)).toMatchObject({
        source: 'yourls',
        rows: [{ index: 0, input: { url: 'https://ozh.org/', alias: 'ozh' } }],
      });
    });

    it('R1.5 reads the YOURLS Import/Export plugin CSV: source /keyword/, target', () => {
      const csv = 'source,target,hits\r\n/blog/,https://blog.example/,7\r\n';
      expect(readLinkFile(csv).rows[0]?.input).toEqual({ url: 'https://blog.example/', alias: 'blog' });
    });

    it('R1.5 reads the YOURLS API JSON (action=stats): links.link_N.shorturl and url', () => {
      const json = JSON.stringify({
        links: {
          link_1: {
            shorturl: 'https://y.example/abc',
            url: 'https://a.example/',
            title: 'A',
            timestamp: '2024-01-01 00:00:00',
            ip: '1.2.3.4',
            clicks: '3',
          },
          link_2: { shorturl: 'https://y.example/def', url: 'https://b.example/', clicks: '0' },
        },
        stats: { total_links: '2', total_clicks: '3' },
      });
      expect(readLinkFile(json)).toEqual({
        source: 'yourls',
        kind: 'json',
        rows: [
          { index: 0, input: { url: 'https://a.example/', alias: 'abc' } },
          { index: 1, input: { url: 'https://b.example/', alias: 'def' } },
        ],
      });
    });
  });

  describe('R1.6 files that cannot be read', () => {
    it('R1.6 names the accepted layouts when the columns are unknown', () => {
      expect(() => readLinkFile('name,email\nA,a@example.com\n')).toThrow(/Unknown CSV columns \(name, email\)/);
      expect(() => readLinkFile('{"hello": 1}')).toThrow(LinkFileError);
      expect(() => readLinkFile('[1, 2')).toThrow(/not valid JSON/);
      expect(() => readLinkFile('  \n')).toThrow(/empty/);
    });

    it('R1.6 reports a row without destination as unreadable, keeping the other rows', () => {
      expect(readLinkFile('url,alias\n,abc\nhttps://a.example/,def\n').rows).toEqual([
        { index: 0, error: 'no destination URL in this row' },
        { index: 1, input: { url: 'https://a.example/', alias: 'def' } },
      ]);
    });
  });

  describe('R1.8 re-importing creates no duplicates', () => {
    const existing = [link('docs', 'https://docs.example/'), link('Zx8Yw7Vu', 'https://blog.example/post')];

    it('R1.8 settles rows already there (same alias and url; same url without alias) and repeats in the file', () => {
      const rows = readLinkFile(
        [
          'url,alias',
          'https://DOCS.example,docs', // same link, spelled differently
          'https://blog.example/post,', // no alias, url already one of the user's links
          'https://new.example/,', // new
          'https://new.example/,', // repeat of the row above
          'https://other.example/,docs', // alias the user has for another url: the API decides (409)
          ',nourl',
        ].join('\n'),
      ).rows;
      const plan = planImport(rows, existing);
      expect(plan.send).toEqual([
        { index: 2, input: { url: 'https://new.example/' } },
        { index: 4, input: { url: 'https://other.example/', alias: 'docs' } },
      ]);
      expect(plan.settled.map(({ index, outcome, link }) => ({ index, outcome, code: link?.link }))).toEqual([
        { index: 0, outcome: 'exists', code: 'docs' },
        { index: 1, outcome: 'exists', code: 'Zx8Yw7Vu' },
        { index: 3, outcome: 'exists', code: undefined },
        { index: 5, outcome: 'invalid', code: undefined },
      ]);
    });

    it('R1.10 merges bulk results back into one report in file order', () => {
      const plan = planImport(readLinkFile('url\nhttps://docs.example/\nhttps://a.example/\nbad\n').rows, existing);
      const report = importReport(plan, [
        { index: 0, status: 201, link: link('Qw3Er5Ty', 'https://a.example/') },
        { index: 1, status: 400, error: 'url must be an absolute http or https URL' },
      ]);
      expect(report.map(({ index, status, outcome }) => [index, status, outcome])).toEqual([
        [0, 200, 'exists'],
        [1, 201, 'created'],
        [2, 400, 'invalid'],
      ]);
      expect(summarise(report)).toEqual({ created: 1, exists: 1, invalid: 1, taken: 0, limited: 0, failed: 0 });
    });
  });

  describe('R1.9 chunks for the bulk route', () => {
    it('R1.9 sends at most 1,000 rows per request', () => {
      const items = Array.from({ length: 2500 }, (_, index) => ({
        index,
        input: { url: `https://e.example/${index}` },
      }));
      expect(chunkForBulk(items).map((chunk) => chunk.length)).toEqual([1000, 1000, 500]);
    });

    it('R1.9 keeps each request body under the byte limit, whatever the row count', () => {
      const long = `https://e.example/${'x'.repeat(2000)}`;
      const items = Array.from({ length: 1000 }, (_, index) => ({ index, input: { url: long } }));
      const chunks = chunkForBulk(items);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(Buffer.byteLength(JSON.stringify({ links: chunk.map((item) => item.input) }))).toBeLessThan(1024 * 1024);
      }
      expect(chunks.flat()).toEqual(items);
    });
  });
});
