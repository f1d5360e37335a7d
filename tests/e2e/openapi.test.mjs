// docs/openapi.yaml is the API contract: it must be a valid OpenAPI document and describe
// every route of the console pool's table (app/serve/console_pool.c), with the same methods.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ROOT } from './harness.mjs';

test('docs/openapi.yaml is valid OpenAPI', async () => {
  const api = await SwaggerParser.validate(path.join(ROOT, 'docs/openapi.yaml'));
  assert.match(api.openapi, /^3\./);
});

test('every console route is documented with its method', async () => {
  const api = await SwaggerParser.parse(path.join(ROOT, 'docs/openapi.yaml'));
  const src = fs.readFileSync(path.join(ROOT, 'app/serve/console_pool.c'), 'utf8');
  const table = src.slice(src.indexOf('routes[] = {'), src.indexOf('};', src.indexOf('routes[] = {')));
  const routes = [...table.matchAll(/\{"([A-Z]+)", "([^"]+)", \w+, ([^}]+)\}/g)]
    .map(([, method, route, flags]) => ({ method, route, flags }))
    // HTML pages for people (the portal, the operators' /admin) are not the API:
    // docs/portal.md describes them.
    .filter(({ flags }) => !/ROUTE_PAGE|ROUTE_SESSION|ROUTE_ADMIN/.test(flags));
  assert.ok(routes.length >= 2, 'could not read the route table');
  for (const { method, route } of routes) {
    const p = route.replace(/:(\w+)/g, '{$1}');
    assert.ok(api.paths[p], `${route} is not in docs/openapi.yaml`);
    assert.ok(api.paths[p][method.toLowerCase()], `${method} ${route} is not in docs/openapi.yaml`);
  }
});

test('every documented operation is a console route (the gateway\'s catch-all aside)', async () => {
  const api = await SwaggerParser.parse(path.join(ROOT, 'docs/openapi.yaml'));
  const src = fs.readFileSync(path.join(ROOT, 'app/serve/console_pool.c'), 'utf8');
  const table = src.slice(src.indexOf('routes[] = {'), src.indexOf('};', src.indexOf('routes[] = {')));
  const routes = new Set([...table.matchAll(/\{"([A-Z]+)", "([^"]+)", \w+, [^}]+\}/g)]
    .map(([, method, route]) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`));
  for (const [p, ops] of Object.entries(api.paths)) {
    if (p === '/{proxied}') continue; // the gateway site: every path is the tenant's
    for (const m of Object.keys(ops).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))) {
      assert.ok(routes.has(`${m.toUpperCase()} ${p}`), `${m.toUpperCase()} ${p} is documented but not routed`);
    }
  }
});
