/**
 * The part of oidc-provider 8.8 the sandbox uses, typed by hand (the package ships no types and is ESM-only,
 * so it is loaded with a dynamic import at start, never at module load). Nothing here runs.
 * See: https://github.com/panva/node-oidc-provider/blob/v8.x/docs/README.md
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The Koa context oidc-provider's middleware sees (only the fields read or written here). */
export interface KoaContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** The response content type (Koa's shorthand: 'html'). */
  type: string;
  query: Record<string, string | string[] | undefined>;
  oidc?: OidcContext;
  set(field: string, value: string): void;
}

export interface OidcContext {
  route?: string;
  params?: Record<string, unknown>;
  client?: { clientId: string };
  session?: { accountId?: string; destroy(): Promise<void> };
  entities: { AccessToken?: { grantId?: string; extra?: Record<string, unknown> } };
  /** The interaction result while resuming an authorization request. */
  result?: Record<string, unknown>;
}

export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

export interface InteractionDetails {
  uid: string;
  params: Record<string, unknown>;
  prompt: { name: string; reasons: string[] };
}

export type InteractionResult =
  | { login: { accountId: string; remember?: boolean }; consent: { grantId: string } }
  | { error: string; error_description: string };

export interface GrantInstance {
  addOIDCScope(scope: string): void;
  rejectOIDCScope(scope: string): void;
  save(): Promise<string>;
  destroy(): Promise<void>;
}

/** A stored token as `find` returns it (opaque format: the token value is the jti). */
export interface StoredToken {
  clientId: string;
  accountId?: string;
  grantId?: string;
  scope?: string;
  exp: number;
  extra?: Record<string, unknown>;
  isExpired: boolean;
}

export interface TokenModel {
  find(value: string): Promise<StoredToken | undefined>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface OidcProvider {
  readonly issuer: string;
  readonly app: { silent: boolean; on(event: 'error', listener: (err: unknown) => void): void };
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  use(middleware: KoaMiddleware): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  urlFor(routeName: string): string;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: {
    new (fields: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<(GrantInstance & { accountId: string; clientId: string }) | undefined>;
  };
  AccessToken: TokenModel;
  ClientCredentials: TokenModel;
  RefreshToken: TokenModel;
  AuthorizationCode: TokenModel;
}

export interface OidcCheck {
  reason: string;
}

export interface OidcPrompt {
  name: string;
  checks: OidcCheck[] & { add(check: OidcCheck, index?: number): void };
}

export interface OidcModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidRequest: new (description: string) => Error };
  interactionPolicy: {
    base(): OidcPrompt[] & { get(name: string): OidcPrompt | undefined };
    Check: new (reason: string, description: string, check: (ctx: KoaContext) => boolean) => OidcCheck;
  };
}

/** oidc-provider's module; a variable specifier keeps TypeScript from looking for its (absent) types. */
export async function loadOidcProvider(): Promise<OidcModule> {
  const specifier = 'oidc-provider';
  return (await import(specifier)) as OidcModule;
}
