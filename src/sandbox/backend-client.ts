/**
 * The registered SMART Backend Services client (`gradus-nightly`) and the authorization server's own ID token
 * key. In: the data folder; out: the client's public JWK (registered with oidc-provider) and its private JWK
 * written to `<dataDir>/gradus-nightly.private.jwk.json` with mode 0600. A new key pair on every start.
 * See: https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const BACKEND_CLIENT_ID = 'gradus-nightly';
export const BACKEND_ALG = 'ES384';

export interface BackendKey {
  clientId: string;
  keyFile: string;
  publicJwk: JWK;
}

async function keyPairJwks(alg: string): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' },
  };
}

/** Generates the backend client's ES384 key pair and writes the private JWK (0600, atomically). */
export async function createBackendKey(dataDir: string): Promise<BackendKey> {
  const { publicJwk, privateJwk } = await keyPairJwks(BACKEND_ALG);
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const keyFile = join(folder, `${BACKEND_CLIENT_ID}.private.jwk.json`);
  const temporary = `${keyFile}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, keyFile);
  return { clientId: BACKEND_CLIENT_ID, keyFile, publicJwk };
}

/** The key oidc-provider signs ID tokens with (RS256, what clients expect by default). */
export async function createSigningKey(): Promise<JWK> {
  return (await keyPairJwks('RS256')).privateJwk;
}
