export interface Session {
  readonly sessionId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly createdAt: string;
}

export interface SessionStorePort {
  get(sessionId: string): Promise<Session | null>;
  put(session: Session): Promise<void>;
  revoke(sessionId: string): Promise<void>;
}
