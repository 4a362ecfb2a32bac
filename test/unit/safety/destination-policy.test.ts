import { describe, expect, it } from 'vitest';
import {
  classifyHost,
  type DestinationPolicy,
  normaliseDestination,
  STRICT_POLICY,
} from '../../../lambdas/domain/destination.ts';
import { ValidationError } from '../../../lambdas/domain/errors.ts';
import { OTHER_SHORTENERS } from '../../../lambdas/domain/rules.ts';
import { seededRandom } from '../clicks/seeded-random.ts';

// An AWS deployment: CloudFront domain, a custom domain and the execute-api domain.
const AWS: DestinationPolicy = {
  ...STRICT_POLICY,
  selfOrigins: ['https://d111abc.cloudfront.net', 'https://sho.rt', 'abc123.execute-api.eu-west-1.amazonaws.com'],
};
const LOCAL: DestinationPolicy = { ...STRICT_POLICY, selfOrigins: ['http://127.0.0.1:3000'], allowLoopback: true };

const refused = (raw: string, policy: DestinationPolicy = AWS): string => {
  try {
    normaliseDestination(raw, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error(`${raw} was accepted`);
};

describe('public-safety', () => {
  describe('destination policy', () => {
    it.each([
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.170.2/v2/credentials',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://172.31.255.255/',
      'http://192.168.1.1/admin',
      'http://100.64.0.1/',
      'http://127.0.0.1/',
      'http://127.255.0.9:8080/',
      'http://0.0.0.0/',
      'http://0/',
      'http://2130706433/', // 127.0.0.1 in decimal
      'http://0x7f000001/', // in hex
      'http://0177.0.0.1/', // in octal
      'http://0xA9.0xFE.0xA9.0xFE/', // 169.254.169.254 in hex parts
      'http://3232235777/', // 192.168.1.1
      'http://[::1]/',
      'http://[::]/',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/', // IPv4-mapped metadata
      'http://[::ffff:10.1.2.3]/',
      'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of the metadata address
      'http://[2002:c0a8:0101::1]/', // 6to4 of 192.168.1.1
      'http://[fd00:ec2::254]/', // AWS metadata over IPv6
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[ff02::1]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://localhost:8080/',
      'http://api.localhost/',
      'http://metadata.google.internal/',
      'http://ip-10-0-0-1.ec2.internal/',
      'http://printer.local/',
      'http://intranet/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
    ])('R3.3 refuses the network-internal destination %s on AWS', (raw) => {
      expect(refused(raw)).toMatch(/inside a network|this shortener/);
    });

    it.each([
      'https://example.com/',
      'http://8.8.8.8/',
      'http://[2606:4700::1111]/',
      'http://172.32.0.1/',
      'http://11.0.0.1/',
    ])('R3.3 accepts the public destination %s', (raw) => {
      expect(normaliseDestination(raw, AWS)).toBe(new URL(raw).href);
    });

    it('R3.4 local mode accepts loopback destinations other than the shortener, and nothing else internal', () => {
      for (const raw of [
        'http://localhost:8080/',
        'http://127.0.0.1:5173/app',
        'http://[::1]:4000/',
        'http://dev.localhost/',
      ]) {
        expect(normaliseDestination(raw, LOCAL), raw).toBe(new URL(raw).href);
      }
      expect(refused('http://127.0.0.1:3000/x', LOCAL)).toMatch(/this shortener/);
      expect(refused('http://localhost:3000/', LOCAL)).toMatch(/this shortener/);
      expect(refused('http://169.254.169.254/', LOCAL)).toMatch(/inside a network/);
      expect(refused('http://192.168.0.10/', LOCAL)).toMatch(/inside a network/);
    });

    it.each(OTHER_SHORTENERS.flatMap((host) => [`https://${host}/abc`, `http://WWW.${host.toUpperCase()}./abc`]))(
      'R3.2 refuses another URL shortener by default: %s',
      (raw) => {
        expect(refused(raw)).toMatch(/another URL shortener/);
      },
    );

    it('R3.2 accepts other shorteners when the deployment allows them, and never confuses look-alikes', () => {
      expect(normaliseDestination('https://bit.ly/abc', { ...AWS, refuseShorteners: false })).toBe(
        'https://bit.ly/abc',
      );
      expect(normaliseDestination('https://notbit.ly/abc', AWS)).toBe('https://notbit.ly/abc');
      expect(normaliseDestination('https://bit.ly.example.com/', AWS)).toBe('https://bit.ly.example.com/');
    });

    it('R3.1 refuses blocked hosts: an exact entry only that host, a .suffix entry the host and everything under it', () => {
      const policy = { ...AWS, blockedHosts: ['evil.example', '.phish.example', '*.bad.example', ' MÜNCHEN-spam.de '] };
      expect(refused('https://evil.example/', policy)).toMatch(/blocked host/);
      expect(refused('https://EVIL.example./x', policy)).toMatch(/blocked host/);
      expect(normaliseDestination('https://sub.evil.example/', policy)).toBe('https://sub.evil.example/');
      expect(refused('https://phish.example/', policy)).toMatch(/blocked host/);
      expect(refused('https://a.b.phish.example/', policy)).toMatch(/blocked host/);
      expect(refused('https://x.bad.example/', policy)).toMatch(/blocked host/);
      expect(refused('https://münchen-spam.de/', policy)).toMatch(/blocked host/);
      expect(normaliseDestination('https://notphish.example/', policy)).toBe('https://notphish.example/');
    });

    it.each([
      'https://d111abc.cloudfront.net/x',
      'http://d111abc.cloudfront.net/x',
      'https://d111abc.cloudfront.net:8443/x',
      'https://D111ABC.CLOUDFRONT.NET./x',
      'http://sho.rt/',
      'https://sho.rt:444/',
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/x',
      'http://abc123.execute-api.eu-west-1.amazonaws.com:80/',
    ])('R4.1 refuses a loop through the shortener under any spelling of its hosts: %s', (raw) => {
      expect(refused(raw)).toMatch(/this shortener/);
    });

    it('R4.1 does not widen a host to its neighbours', () => {
      for (const raw of ['https://x.sho.rt/', 'https://d222.cloudfront.net/', 'https://sho.rt.example/']) {
        expect(normaliseDestination(raw, AWS), raw).toBe(new URL(raw).href);
      }
    });

    it('R3.3 R4.2 property: any accepted destination under the AWS policy has a public host outside the self origins', () => {
      const random = seededRandom(12).next;
      const pieces = [
        '127.',
        '0x7f',
        '10.',
        '169.254.',
        '192.168.',
        '[::',
        'ffff:',
        '1]',
        '0',
        '1',
        '.',
        'localhost',
        'sho.rt',
        'example.com',
        ':80',
        ':3000',
        '%2e',
        'cloudfront.net',
        'd111abc.',
        '[fe80::',
        '2130706433',
        'a.',
        '-',
      ];
      let accepted = 0;
      for (let i = 0; i < 5000; i++) {
        const host = Array.from(
          { length: 1 + Math.floor(random() * 5) },
          () => pieces[Math.floor(random() * pieces.length)],
        ).join('');
        const raw = `${random() < 0.5 ? 'http' : 'https'}://${host}/`;
        let href: string;
        try {
          href = normaliseDestination(raw, AWS);
        } catch (error) {
          expect(error, raw).toBeInstanceOf(ValidationError);
          continue;
        }
        accepted++;
        const { hostname } = new URL(href);
        const bare = hostname.replace(/\.+$/, '');
        expect(classifyHost(bare), raw).toBe('public');
        expect(['d111abc.cloudfront.net', 'sho.rt', 'abc123.execute-api.eu-west-1.amazonaws.com'], raw).not.toContain(
          bare,
        );
      }
      expect(accepted).toBeGreaterThan(50);
    });
  });
});
