// SMN's tables: topics, subscriptions, and the messages a publish makes (one row per subscription) with the
// log of their HTTP delivery attempts. Rows are parsed at this boundary; every query names the project.
import type { Database, Statement } from "better-sqlite3";
import { all, int, intOrNull, maybe, oneOf, text, textOrNull, type SqlRow } from "../../store/rows.ts";
import { SMN_DOCS_MIGRATION } from "./docs.ts";

export const SMN_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE smn_topics (
    topic_urn TEXT PRIMARY KEY, project_id TEXT NOT NULL, topic_id TEXT NOT NULL, name TEXT NOT NULL,
    display_name TEXT NOT NULL, enterprise_project_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, UNIQUE (project_id, name));
  CREATE TABLE smn_subscriptions (
    subscription_urn TEXT PRIMARY KEY, project_id TEXT NOT NULL, topic_urn TEXT NOT NULL, protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL, remark TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX smn_subscriptions_topic ON smn_subscriptions(topic_urn, created_at);
  CREATE TABLE smn_messages (
    id TEXT PRIMARY KEY, message_id TEXT NOT NULL, project_id TEXT NOT NULL, topic_urn TEXT NOT NULL,
    subscription_urn TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT NOT NULL, subject TEXT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('recorded', 'pending', 'delivered', 'failed', 'expired')),
    attempts INTEGER NOT NULL, next_attempt_at INTEGER, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL);
  CREATE INDEX smn_messages_due ON smn_messages(status, next_attempt_at);
  CREATE TABLE smn_delivery_log (
    message_row TEXT NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
    status_code INTEGER, error TEXT, PRIMARY KEY (message_row, attempt));
  `,
  SMN_DOCS_MIGRATION,
];

export const PROTOCOLS = ["email", "sms", "http", "https", "functionstage", "functiongraph"] as const;
export type Protocol = (typeof PROTOCOLS)[number];
/** What a recorded delivery went through: a subscription's protocol, or a push application endpoint (PublishAppMessage). */
export const DELIVERY_PROTOCOLS = [...PROTOCOLS, "application"] as const;
export type DeliveryProtocol = (typeof DELIVERY_PROTOCOLS)[number];
export const MESSAGE_STATUSES = ["recorded", "pending", "delivered", "failed", "expired"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Topic {
  topicUrn: string;
  projectId: string;
  topicId: string;
  name: string;
  displayName: string;
  enterpriseProjectId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Subscription {
  subscriptionUrn: string;
  projectId: string;
  topicUrn: string;
  protocol: Protocol;
  endpoint: string;
  remark: string;
  createdAt: number;
}

export interface DeliveryAttempt {
  attempt: number;
  startedAt: number;
  finishedAt: number;
  statusCode: number | null;
  error: string | null;
}

export interface Message {
  /** This delivery's row id (one per message and subscription). */
  id: string;
  messageId: string;
  projectId: string;
  topicUrn: string;
  subscriptionUrn: string;
  protocol: DeliveryProtocol;
  endpoint: string;
  subject: string;
  /** What the subscriber gets: text for email/sms, Huawei's notification JSON for http/https/functionstage. */
  body: string;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

const toTopic = (r: SqlRow): Topic => ({
  topicUrn: text(r, "topic_urn"),
  projectId: text(r, "project_id"),
  topicId: text(r, "topic_id"),
  name: text(r, "name"),
  displayName: text(r, "display_name"),
  enterpriseProjectId: text(r, "enterprise_project_id"),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
});

const toSubscription = (r: SqlRow): Subscription => ({
  subscriptionUrn: text(r, "subscription_urn"),
  projectId: text(r, "project_id"),
  topicUrn: text(r, "topic_urn"),
  protocol: oneOf(r, "protocol", PROTOCOLS),
  endpoint: text(r, "endpoint"),
  remark: text(r, "remark"),
  createdAt: int(r, "created_at"),
});

const toMessage = (r: SqlRow): Message => ({
  id: text(r, "id"),
  messageId: text(r, "message_id"),
  projectId: text(r, "project_id"),
  topicUrn: text(r, "topic_urn"),
  subscriptionUrn: text(r, "subscription_urn"),
  protocol: oneOf(r, "protocol", DELIVERY_PROTOCOLS),
  endpoint: text(r, "endpoint"),
  subject: text(r, "subject"),
  body: text(r, "body"),
  status: oneOf(r, "status", MESSAGE_STATUSES),
  attempts: int(r, "attempts"),
  nextAttemptAt: intOrNull(r, "next_attempt_at"),
  expiresAt: int(r, "expires_at"),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
});

const toAttempt = (r: SqlRow): DeliveryAttempt => ({
  attempt: int(r, "attempt"),
  startedAt: int(r, "started_at"),
  finishedAt: int(r, "finished_at"),
  statusCode: intOrNull(r, "status_code"),
  error: textOrNull(r, "error"),
});

type Stmt =
  | "topic" | "topics" | "topicCount" | "insertTopic" | "updateTopic" | "deleteTopic" | "subscription" | "subsOfTopic"
  | "subsOfProject" | "subCountOfTopic" | "insertSub" | "deleteSub" | "deleteSubsOfTopic" | "insertMessage"
  | "messagesOf" | "messagesAll" | "due" | "attempted" | "expire" | "log" | "logOf" | "remark";

export class SmnStore {
  private readonly st: Record<Stmt, Statement>;

  constructor(readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      topic: p("SELECT * FROM smn_topics WHERE project_id = ? AND topic_urn = ?"),
      topics: p("SELECT * FROM smn_topics WHERE project_id = ? ORDER BY created_at DESC, rowid DESC"),
      topicCount: p("SELECT COUNT(*) AS n FROM smn_topics WHERE project_id = ?"),
      insertTopic: p(`INSERT INTO smn_topics (topic_urn, project_id, topic_id, name, display_name, enterprise_project_id,
        created_at, updated_at) VALUES (@topicUrn, @projectId, @topicId, @name, @displayName, @enterpriseProjectId, @createdAt, @createdAt)`),
      updateTopic: p("UPDATE smn_topics SET display_name = ?, updated_at = ? WHERE project_id = ? AND topic_urn = ?"),
      deleteTopic: p("DELETE FROM smn_topics WHERE project_id = ? AND topic_urn = ?"),
      subscription: p("SELECT * FROM smn_subscriptions WHERE project_id = ? AND subscription_urn = ?"),
      subsOfTopic: p("SELECT * FROM smn_subscriptions WHERE project_id = ? AND topic_urn = ? ORDER BY created_at, rowid"),
      subsOfProject: p("SELECT * FROM smn_subscriptions WHERE project_id = ? ORDER BY created_at, rowid"),
      subCountOfTopic: p("SELECT COUNT(*) AS n FROM smn_subscriptions WHERE topic_urn = ?"),
      insertSub: p(`INSERT INTO smn_subscriptions (subscription_urn, project_id, topic_urn, protocol, endpoint, remark, created_at)
        VALUES (@subscriptionUrn, @projectId, @topicUrn, @protocol, @endpoint, @remark, @createdAt)`),
      deleteSub: p("DELETE FROM smn_subscriptions WHERE project_id = ? AND subscription_urn = ?"),
      deleteSubsOfTopic: p("DELETE FROM smn_subscriptions WHERE project_id = ? AND topic_urn = ?"),
      insertMessage: p(`INSERT INTO smn_messages (id, message_id, project_id, topic_urn, subscription_urn, protocol, endpoint,
        subject, body, status, attempts, next_attempt_at, expires_at, created_at, updated_at) VALUES (@id, @messageId,
        @projectId, @topicUrn, @subscriptionUrn, @protocol, @endpoint, @subject, @body, @status, 0, @nextAttemptAt,
        @expiresAt, @createdAt, @createdAt)`),
      messagesOf: p("SELECT * FROM smn_messages WHERE project_id = ? ORDER BY created_at, rowid"),
      messagesAll: p("SELECT * FROM smn_messages ORDER BY created_at, rowid"),
      due: p("SELECT * FROM smn_messages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT 100"),
      attempted: p("UPDATE smn_messages SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?"),
      expire: p("UPDATE smn_messages SET status = 'expired', next_attempt_at = NULL, updated_at = ? WHERE id = ?"),
      log: p(`INSERT OR REPLACE INTO smn_delivery_log (message_row, attempt, started_at, finished_at, status_code, error)
        VALUES (?, ?, ?, ?, ?, ?)`),
      logOf: p("SELECT * FROM smn_delivery_log WHERE message_row = ? ORDER BY attempt"),
      remark: p("UPDATE smn_subscriptions SET remark = ? WHERE project_id = ? AND subscription_urn = ?"),
    };
  }

  topic(projectId: string, urn: string): Topic | undefined {
    return maybe(toTopic, this.st.topic.get(projectId, urn));
  }
  topics(projectId: string): Topic[] {
    return all(toTopic, this.st.topics.all(projectId));
  }
  topicCount(projectId: string): number {
    return int(this.st.topicCount.get(projectId) as SqlRow, "n");
  }
  insertTopic(t: Omit<Topic, "updatedAt">): void {
    this.st.insertTopic.run(t);
  }
  updateTopic(projectId: string, urn: string, displayName: string, now: number): void {
    this.st.updateTopic.run(displayName, now, projectId, urn);
  }
  deleteTopic(projectId: string, urn: string): void {
    this.tx(() => {
      this.st.deleteSubsOfTopic.run(projectId, urn);
      this.st.deleteTopic.run(projectId, urn);
    });
  }

  subscription(projectId: string, urn: string): Subscription | undefined {
    return maybe(toSubscription, this.st.subscription.get(projectId, urn));
  }
  subscriptions(projectId: string, topicUrn?: string): Subscription[] {
    const rows = topicUrn === undefined ? this.st.subsOfProject.all(projectId) : this.st.subsOfTopic.all(projectId, topicUrn);
    return all(toSubscription, rows);
  }
  subscriptionCount(topicUrn: string): number {
    return int(this.st.subCountOfTopic.get(topicUrn) as SqlRow, "n");
  }
  insertSubscription(s: Subscription): void {
    this.st.insertSub.run(s);
  }
  updateRemark(projectId: string, urn: string, remark: string): void {
    this.st.remark.run(remark, projectId, urn);
  }
  deleteSubscription(projectId: string, urn: string): void {
    this.st.deleteSub.run(projectId, urn);
  }

  insertMessage(m: Omit<Message, "attempts" | "updatedAt">): void {
    this.st.insertMessage.run(m);
  }
  messages(projectId?: string): Message[] {
    return all(toMessage, projectId === undefined ? this.st.messagesAll.all() : this.st.messagesOf.all(projectId));
  }
  due(now: number): Message[] {
    return all(toMessage, this.st.due.all(now));
  }
  expire(id: string, now: number): void {
    this.st.expire.run(now, id);
  }
  /** Records one finished attempt and the message's next state. */
  attempted(m: Message, a: DeliveryAttempt, status: MessageStatus, nextAttemptAt: number | null): void {
    this.tx(() => {
      // Nothing to log when the message is gone (a reset while the request was under way).
      if (this.st.attempted.run(status, a.attempt, nextAttemptAt, a.finishedAt, m.id).changes === 0) return;
      this.st.log.run(m.id, a.attempt, a.startedAt, a.finishedAt, a.statusCode, a.error);
    });
  }
  deliveryLog(id: string): DeliveryAttempt[] {
    return all(toAttempt, this.st.logOf.all(id));
  }

  /** Runs fn in a transaction (a savepoint inside a caller's). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
