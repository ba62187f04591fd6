

// Row types of every table. Timestamps are ISO strings in UTC on both engines; JSON columns are text.
type Ts = string;
type Json = string;

export type DB = {
  settings: { key: string; value: Json };
  counters: { name: string; value: number };
  users: {
    id: string; email: string; name: string; role: string; password_hash: string; language: string;
    time_zone: string; availability: string; is_disabled: boolean; created_at: Ts; updated_at: Ts;
  };
  sessions: { id: string; token_hash: string; user_id: string; created_at: Ts; expires_at: Ts; last_seen_at: Ts; user_agent: string | null };
  api_tokens: { id: string; user_id: string; name: string; prefix: string; token_hash: string; created_at: Ts; last_used_at: Ts | null; revoked_at: Ts | null };
  teams: { id: string; name: string; description: string; created_at: Ts; updated_at: Ts };
  team_members: { team_id: string; user_id: string };
  inboxes: {
    id: string; name: string; channel: string; business_name: string; greeting: string; email_address: string | null;
    public_token: string; secret: string; settings: Json; created_at: Ts; updated_at: Ts;
  };
  inbox_members: { inbox_id: string; user_id: string };
  organizations: { id: string; name: string; domain: string | null; custom_attributes: Json; created_at: Ts; updated_at: Ts };
  contacts: {
    id: string; name: string; language: string | null; time_zone: string | null; birthday: string | null; is_internal: boolean;
    custom_attributes: Json; organization_id: string | null; created_at: Ts; updated_at: Ts;
  };
  contact_identities: { id: string; contact_id: string; kind: string; value: string; created_at: Ts };
  custom_statuses: { id: string; name: string; base_status: string; created_at: Ts };
  conversations: {
    id: string; number: number; inbox_id: string; contact_id: string; status: string; custom_status_id: string | null;
    priority: string; assignee_id: string | null; team_id: string | null; subject: string; custom_attributes: Json;
    snoozed_until: Ts | null; first_response_at: Ts | null; resolved_at: Ts | null; last_activity_at: Ts;
    last_incoming_at: Ts | null; merged_into_id: string | null; last_message_preview: string; created_at: Ts; updated_at: Ts;
  };
  conversation_tags: { conversation_id: string; tag: string };
  messages: {
    id: string; conversation_id: string; kind: string; text: string; html: string | null; author_user_id: string | null;
    author_contact_id: string | null; delivery_state: string; delivery_error: string | null; external_id: string | null;
    metadata: Json; created_at: Ts;
  };
  attachments: {
    id: string; message_id: string | null; filename: string; content_type: string; size: number; blob_key: string;
    content_id: string | null; created_at: Ts;
  };
  audit_log: {
    id: string; actor_type: string; actor_id: string | null; entity: string; entity_id: string; action: string;
    before: Json | null; after: Json | null; created_at: Ts;
  };
  webhooks: { id: string; url: string; events: Json; secret: string; is_active: boolean; created_at: Ts; updated_at: Ts };
  webhook_deliveries: {
    id: string; webhook_id: string; event: string; event_id: string; payload: Json; status: string; attempts: number;
    response_status: number | null; error: string | null; created_at: Ts; delivered_at: Ts | null; next_attempt_at: Ts | null;
  };
  jobs: {
    id: string; queue: string; payload: Json; status: string; attempts: number; max_attempts: number; run_at: Ts;
    locked_until: Ts | null; last_error: string | null; dedupe_key: string | null; created_at: Ts; finished_at: Ts | null;
  };
  rate_limits: { key: string; count: number; reset_at: Ts };
  // 0005 agent app
  canned_replies: { id: string; shortcut: string; title: string; text: string; created_by_id: string | null; created_at: Ts; updated_at: Ts };
  push_subscriptions: { id: string; user_id: string; endpoint: string; p256dh: string; auth: string; user_agent: string | null; created_at: Ts; last_success_at: Ts | null };
  notification_preferences: { user_id: string; is_assigned: boolean; is_mention: boolean; is_customer_reply: boolean; updated_at: Ts };
  conversation_reads: { user_id: string; conversation_id: string; last_read_at: Ts };
  chat_visitors: {
    id: string; inbox_id: string; contact_id: string | null; conversation_id: string | null; external_id: string | null; name: string;
    email: string | null; language: string | null; is_identified: boolean; emailed_through: Ts | null; last_seen_at: Ts; created_at: Ts; updated_at: Ts;
  };
  chat_sessions: { token_hash: string; visitor_id: string; created_at: Ts };
  chat_message_keys: { visitor_id: string; client_id: string; message_id: string; created_at: Ts };
  chat_uploads: { attachment_id: string; visitor_id: string; created_at: Ts };
  // 0004 knowledge base, help center, portal
  kb_categories: { id: string; parent_id: string | null; slug: string; position: number; names: Json; descriptions: Json; created_at: Ts; updated_at: Ts };
  kb_articles: { id: string; category_id: string | null; is_internal: boolean; position: number; default_language: string; author_id: string | null; created_at: Ts; updated_at: Ts };
  kb_article_tags: { article_id: string; tag: string };
  kb_translations: {
    id: string; article_id: string; language: string; slug: string; title: string; body_html: string; body_text: string; status: string;
    version: number; doc_id: number; created_by_id: string | null; updated_by_id: string | null; published_at: Ts | null; created_at: Ts; updated_at: Ts;
  };
  kb_revisions: {
    id: string; article_id: string; language: string; version: number; title: string; slug: string; body_html: string; status: string;
    action: string; note: string | null; author_id: string | null; created_at: Ts;
  };
  kb_terms: { term: string; df: number };
  kb_searches: { id: string; query: string; query_folded: string; language: string | null; source: string; result_count: number; created_at: Ts };
  kb_events: { id: string; kind: string; article_id: string | null; language: string; source: string; session_id: string | null; comment: string | null; created_at: Ts };
  kb_deflections: {
    id: string; source: string; language: string; inbox_id: string | null; query: string; article_ids: Json; outcome: string | null;
    outcome_article_id: string | null; created_at: Ts; outcome_at: Ts | null;
  };
  portal_tokens: { id: string; contact_id: string; email: string; token_hash: string; created_at: Ts; expires_at: Ts; used_at: Ts | null };
  portal_sessions: { id: string; contact_id: string; email: string; token_hash: string; created_at: Ts; expires_at: Ts };
  email_channels: {
    inbox_id: string; config: Json; secrets: string; is_imap_enabled: boolean; last_fetch_at: Ts | null; last_error: string | null;
    last_error_at: Ts | null; warned_at: Ts | null; imap_state: Json | null; backfill: Json | null; created_at: Ts; updated_at: Ts;
  };
  email_messages: {
    id: string; inbox_id: string; direction: string; header_message_id: string | null; from_address: string | null; raw_sha256: string | null; raw_blob_key: string | null;
    conversation_id: string | null; message_id: string | null; kind: string; source: string; sent_at: Ts | null; created_at: Ts;
  };
  email_conversations: { conversation_id: string; inbox_id: string; customer_address: string | null; cc: Json; updated_at: Ts };
  email_signatures: { inbox_id: string; user_id: string; signature: string; updated_at: Ts };
  // 0009 blob store (platform/blob/database-blob-store.ts)
  blobs: { key: string; size: number; data: Uint8Array; created_at: Ts };
};
