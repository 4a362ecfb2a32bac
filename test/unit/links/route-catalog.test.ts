// The route catalog is the one declaration of what the shortener serves: these check the rules
// every consumer of it (CDK, local gateway, 405 handler) relies on.
import { describe, expect, it } from 'vitest';
import {
  API_FUNCTION_NAMES,
  allowedMethods,
  CATCH_ALL_ROUTES,
  matchPath,
  ROUTE_PATHS,
  ROUTES,
  STATIC_PATHS,
} from '../../../lambdas/declarations/routes.ts';
import { isReserved } from '../../../lambdas/domain/codes.ts';

describe('route catalog', () => {
  it('every route is served by a declared function, and every API function serves a route', () => {
    for (const route of ROUTES) expect(API_FUNCTION_NAMES).toContain(route.function);
    for (const name of API_FUNCTION_NAMES) {
      const served = [...ROUTES, ...CATCH_ALL_ROUTES].some((route) => route.function === name);
      expect(served, name).toBe(true);
    }
  });

  it('no two routes share a method and a path', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every path has exactly one catch-all answering 405', () => {
    expect(CATCH_ALL_ROUTES.map((route) => route.path).sort()).toEqual([...ROUTE_PATHS].sort());
  });

  it('a literal segment beats a parameter; parameters are one non-empty segment', () => {
    expect(matchPath('/links')?.path).toBe('/links');
    expect(matchPath('/links/abc')).toEqual({ path: '/links/{link}', parameters: { link: 'abc' } });
    expect(matchPath('/abc')).toEqual({ path: '/{link}', parameters: { link: 'abc' } });
    expect(matchPath('/')).toBeUndefined();
    expect(matchPath('/links/')).toBeUndefined();
    expect(matchPath('/a/b/c/d/e')).toBeUndefined();
  });

  it('R3.4 every first path segment the shortener serves itself is a reserved alias', () => {
    const literal = (path: string) => path.split('/')[1] ?? '';
    const served = [...ROUTE_PATHS.map(literal), STATIC_PATHS.config, STATIC_PATHS.assetsPrefix]
      .map((path) => literal(path.startsWith('/') ? path : `/${path}`).replace(/\.json$/, ''))
      .filter((segment) => segment !== '' && !segment.startsWith('{'));
    for (const segment of served) expect(isReserved(segment), segment).toBe(true);
  });

  it('allowedMethods lists what a path serves, sorted', () => {
    expect(allowedMethods('/{link}')).toEqual(['GET', 'HEAD']);
  });
});
