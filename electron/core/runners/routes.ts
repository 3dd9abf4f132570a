import type { z } from 'zod';
import { routePath, runnerRoutes, type RouteBody, type RouteParams, type RouteResponse, type RunnerRouteName } from '../../common/runner-api';
import type { RunnerRequest } from './connection';

/** What a route call carries: its path parameters and body, as the contract types them. */
export type RouteInput<K extends RunnerRouteName> = (RouteParams<K> extends undefined ? { params?: undefined } : { params: RouteParams<K> }) &
  (RouteBody<K> extends undefined ? { body?: undefined } : { body: RouteBody<K> }) & { signal?: AbortSignal };

/** A request for one route of the contract, and the schema its answer must pass. */
export function routeRequest<K extends RunnerRouteName>(name: K, input: RouteInput<K>): { request: RunnerRequest; schema: z.ZodType<RouteResponse<K>> } {
  const route = runnerRoutes[name];
  const { params, body, signal } = input as { params?: Record<string, string>; body?: unknown; signal?: AbortSignal };
  return {
    request: {
      method: route.method,
      path: routePath(route.path, params),
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    },
    schema: route.response as unknown as z.ZodType<RouteResponse<K>>,
  };
}
