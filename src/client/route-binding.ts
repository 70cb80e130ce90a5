/** The routes a client may call, from its action's manifest entry: each route a matcher of method + path, built once. */
import type { ActionBinding } from './operation-types.js';

const matchers = new Map<string, (method: string, path: string) => boolean>();

/** A manifest route ("POST /api/x", "* {base_url}/*") as a matcher of method + path (built once per route). */
function routeMatcher(route: string): (method: string, path: string) => boolean {
  let m = matchers.get(route);
  if (!m) matchers.set(route, (m = buildMatcher(route)));
  return m;
}

function buildMatcher(route: string): (method: string, path: string) => boolean {
  const [method, pattern] = route.split(' ');
  if (pattern === '{base_url}/*') return (m) => method === '*' || m === method;
  const re = new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[a-z_]+\\?\}/gi, '[^/]+')}$`);
  return (m, p) => (method === '*' || m === method) && re.test(p);
}

const bound = new WeakMap<ActionBinding, { route: string; matches: (method: string, path: string) => boolean }[]>();

/** A binding's routes with their matchers (built once per manifest entry). */
export function boundRoutes(binding: ActionBinding): { route: string; matches: (method: string, path: string) => boolean }[] {
  let routes = bound.get(binding);
  if (!routes) bound.set(binding, (routes = binding.routes.map((route) => ({ route, matches: routeMatcher(route) }))));
  return routes;
}
