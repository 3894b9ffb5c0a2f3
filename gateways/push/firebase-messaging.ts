import { randomUUID } from 'node:crypto';
import { cert, deleteApp, initializeApp, type ServiceAccount } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import type { FcmMessaging } from './fcm-push-sender.ts';

export interface FirebaseMessaging { readonly messaging: FcmMessaging; close(): Promise<void> }

/**
 * firebase-admin's Messaging for a service account given as FIREBASE_CREDENTIALS: the JSON itself, or the
 * path of its file. Each call makes an app of its own, so several systems in one process do not collide.
 */
export function firebaseMessaging(credentials: string): FirebaseMessaging {
  const text = credentials.trim();
  const account: string | ServiceAccount = text.startsWith('{') ? parseServiceAccount(text) : text;
  const app = initializeApp({ credential: cert(account) }, `todo-${randomUUID()}`);
  return { messaging: getMessaging(app), close: () => deleteApp(app) };
}

function parseServiceAccount(json: string): ServiceAccount {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('FIREBASE_CREDENTIALS is not a service account JSON object');
  // cert() reads the file's snake_case spellings as well as the camelCase ones of ServiceAccount.
  return parsed;
}
