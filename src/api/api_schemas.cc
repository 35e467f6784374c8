// Component schemas of the OpenAPI document: the shapes of request and response bodies.
#include "api/openapi.h"

namespace clipthat::api {
namespace {
using json = nlohmann::json;

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json Str(const std::string& description = "") {
  json j = {{"type", "string"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
json NullableStr(const std::string& description = "") {
  json j = Str(description);
  j["nullable"] = true;
  return j;
}
json Int(const std::string& description = "") {
  json j = {{"type", "integer"}, {"format", "int64"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
json NullableInt(const std::string& description = "") {
  json j = Int(description);
  j["nullable"] = true;
  return j;
}
json Num(const std::string& description = "") {
  json j = {{"type", "number"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
json Bool(const std::string& description = "") {
  json j = {{"type", "boolean"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
json AnyObject(const std::string& description = "") {
  json j = {{"type", "object"}, {"additionalProperties", true}};
  if (!description.empty()) j["description"] = description;
  return j;
}
json Obj(json properties, std::vector<std::string> required = {}, std::string description = "") {
  json j = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) j["required"] = required;
  if (!description.empty()) j["description"] = description;
  return j;
}
json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json Page(const std::string& item) {
  return Obj({{"items", ArrayOf(Ref(item))},
              {"next_cursor", NullableStr("pass as ?cursor= for the next page; null at the end")}},
             {"items", "next_cursor"});
}
json Enum(std::vector<std::string> values, const std::string& description = "") {
  json j = Str(description);
  j["enum"] = values;
  return j;
}

// Credits and Stripe (billing_routes.cc).
void BillingSchemas(json& s) {
  s["Reservation"] = Obj({{"id", Str()},
                          {"job_id", Str()},
                          {"credits", Int("held")},
                          {"status", Enum({"open", "captured", "released"})},
                          {"captured", Int()},
                          {"reason", Str()},
                          {"created_at_ms", Int()},
                          {"settled_at_ms", NullableInt()}},
                         {"id", "job_id", "credits", "status"});
  s["CreditPack"] = Obj({{"id", Str()},
                         {"credits", Int()},
                         {"amount_cents", Int()},
                         {"currency", Str()},
                         {"name", Str()}},
                        {"id", "credits", "amount_cents", "currency"});
  s["Billing"] =
      Obj({{"balance", Int("credits available to new work")},
           {"reserved", Int("credits held by queued and running jobs")},
           {"reservations", ArrayOf(Ref("Reservation"))},
           {"prices", Obj({{"analysis_per_hour", Int("per VOD hour, per started 10 minutes")},
                           {"render_clip", Int()},
                           {"live_minute", Int()}})},
           {"packs", ArrayOf(Ref("CreditPack"))},
           {"checkout_enabled", Bool("false when no Stripe key is configured")}},
          {"balance", "reserved", "reservations", "prices", "packs", "checkout_enabled"});
  s["LedgerEntry"] = Obj(
      {{"id", Str()},
       {"kind", Enum({"grant", "purchase", "reserve", "capture", "release", "refund", "adjust"})},
       {"amount", Int("effect on the balance (+ or -)")},
       {"credits", Int("size of the entry")},
       {"reason", Str()},
       {"job_id", NullableStr()},
       {"reservation_id", NullableStr()},
       {"live_minute", NullableInt()},
       {"stripe_event_id", NullableStr()},
       {"created_at_ms", Int()}},
      {"id", "kind", "amount", "credits", "reason", "created_at_ms"});
  s["LedgerPage"] = Page("LedgerEntry");
  s["CheckoutRequest"] = Obj({{"pack", Str("a pack id from GET /v1/billing")}}, {"pack"});
  s["CheckoutSession"] =
      Obj({{"id", Str("cs_...")}, {"url", Str("Stripe's payment page")}}, {"id", "url"});
  s["Quote"] = Obj({{"kind", Enum({"analyze", "render"})},
                    {"price", Int("credits")},
                    {"balance", Int()},
                    {"enough", Bool()},
                    {"duration_ms", NullableInt("analyze: the VOD's length priced")}},
                   {"kind", "price", "balance", "enough"});
  s["LiveMinuteRequest"] = Obj(
      {{"worker_id", Str()}, {"attempt", Int()}, {"minute", Int("0-based minute of monitoring")}},
      {"worker_id", "attempt", "minute"});
  s["LiveMinute"] = Obj({{"charged", Bool()}, {"balance", Int()}}, {"charged", "balance"});
  s["StripeEvent"] = Obj({{"id", Str("evt_...")},
                          {"type", Str("checkout.session.completed, ...")},
                          {"data", Obj({{"object", AnyObject("the session or charge")}})}},
                         {"id", "type", "data"}, "an event as Stripe sends it, signed");
  s["WebhookAck"] = Obj({{"received", Bool()}}, {"received"});
}

}  // namespace

json ApiSchemas() {
  json s;
  s["Error"] = Obj({{"error", Obj({{"code", Str("bad_request, unauthenticated, forbidden, "
                                                "payment_required, not_found, conflict, "
                                                "payload_too_large, invalid_field, "
                                                "unprocessable, rate_limited, quota_exceeded, "
                                                "internal, unavailable")},
                                   {"message", Str("names the field or header when one is wrong")},
                                   {"balance", Int("402 only: your available credits")},
                                   {"price", Int("402 only: what the request costs")},
                                   {"quota", Str("quota_exceeded only: the quota's configuration "
                                                 "key (api.quota.max_active_jobs, ...)")},
                                   {"limit", Int("quota_exceeded only: the quota's limit")},
                                   {"used", Int("quota_exceeded only: what you have now")}},
                                  {"code", "message"})}},
                   {"error"});
  s["Ok"] = Obj({{"ok", Bool()}}, {"ok"});
  s["Health"] = Obj({{"status", Enum({"ok", "unavailable"})}, {"database", Str()}}, {"status"});
  s["OpenApiDocument"] = AnyObject("this document");
  s["Credentials"] =
      Obj({{"email", Str("trimmed and lower-cased")}, {"password", Str("8..1024 bytes")}},
          {"email", "password"});
  s["PasswordChange"] = Obj({{"current_password", Str("the account's password now")},
                             {"new_password", Str("8..1024 bytes")}},
                            {"current_password", "new_password"});
  s["MediaLink"] = Obj({{"url", Str("path and query of the signed link: GET it (Range supported)")},
                        {"expires_at_ms", Int()}},
                       {"url", "expires_at_ms"});
  json timed_word = Obj({{"text", Str()}, {"start_ms", Int()}, {"end_ms", Int()}},
                        {"text", "start_ms", "end_ms"});
  s["CaptionLayoutRequest"] =
      Obj({{"style", AnyObject("a caption style: {\"preset\": \"bold\", ...overrides}")},
           {"words", json{{"type", "array"}, {"items", timed_word}}}},
          {});
  s["CaptionLayout"] =
      Obj({{"style", AnyObject("the style with every field resolved")},
           {"max_chars_per_line", Int()},
           {"lines", json{{"type", "array"},
                          {"items", Obj({{"block", Int()},
                                         {"start_ms", Int()},
                                         {"end_ms", Int()},
                                         {"words", json{{"type", "array"}, {"items", timed_word}}}},
                                        {"block", "start_ms", "end_ms", "words"})}}}},
          {"style", "max_chars_per_line", "lines"});
  s["User"] = Obj({{"id", Str()}, {"email", Str()}, {"created_at_ms", Int()}},
                  {"id", "email", "created_at_ms"});
  s["Session"] = Obj({{"token", Str("HS256 JWT: send as Authorization: Bearer TOKEN")},
                      {"expires_at_ms", Int()},
                      {"user", Ref("User")}},
                     {"token", "expires_at_ms"});
  s["CreateKeyRequest"] =
      Obj({{"name", Str("1..100 bytes")}, {"scope", Enum({"user"}, "default user")}}, {"name"});
  json key_props = {{"id", Str()},
                    {"name", Str()},
                    {"scope", Enum({"user", "worker"})},
                    {"prefix", Str("the key's first 10 characters")},
                    {"created_at_ms", Int()},
                    {"last_used_at_ms", NullableInt("updated at most once a minute")}};
  s["ApiKey"] = Obj(key_props, {"id", "name", "scope", "prefix", "created_at_ms"});
  key_props["key"] = Str("the key itself (ck_...): shown only in this answer");
  s["CreatedKey"] = Obj(key_props, {"id", "name", "scope", "prefix", "key"});
  s["ApiKeyList"] = Obj({{"items", ArrayOf(Ref("ApiKey"))}}, {"items"});
  s["CreateVodRequest"] = Obj(
      {{"title", Str("1..200 bytes; required for uploads")},
       {"size_bytes", Int("upload: the file's size")},
       {"filename", Str("upload: a plain file name; its extension picks the container")},
       {"url", Str("import: an http(s) media URL or a Twitch URL (instead of the three above)")}},
      {}, "Either title + size_bytes + filename (an upload session), or url (an import).");
  s["Vod"] = Obj(
      {{"id", Str()},
       {"title", Str()},
       {"status", Enum({"uploading", "ready", "failed"})},
       {"source_url", NullableStr()},
       {"size_bytes", Int()},
       {"received_bytes", Int("resume an upload from here")},
       {"has_chat", Bool()},
       {"duration_ms", NullableInt("known after analysis")},
       {"error", NullableStr()},
       {"created_at_ms", Int()},
       {"updated_at_ms", Int()},
       {"upload",
        Obj({{"method", Str()}, {"url", Str()}, {"chunk_max_bytes", Int()}, {"next_offset", Int()}},
            {}, "upload sessions only: where and how to send chunks")}},
      {"id", "title", "status", "size_bytes", "received_bytes"});
  s["VodList"] = Page("Vod");
  s["AnalyzeRequest"] = Obj({{"top", Int("moments to find, 1..50, default 5")},
                             {"render_top", Int("of them, how many to render, default 3")},
                             {"template_id", Str("one of your templates")}});
  s["Job"] = Obj({{"id", Str()},
                  {"kind", Enum({"analyze", "render", "live"})},
                  {"status", Enum({"queued", "running", "succeeded", "failed", "cancelled"})},
                  {"vod_id", NullableStr()},
                  {"clip_id", NullableStr()},
                  {"params", AnyObject()},
                  {"progress", Num("0..1")},
                  {"stage", NullableStr("the pipeline stage running now")},
                  {"error", NullableStr()},
                  {"attempts", Int()},
                  {"max_attempts", Int()},
                  {"result", AnyObject("the worker's result, when succeeded; a live job's "
                                       "counts minutes, clips and last_clip_id as it runs")},
                  {"timings", AnyObject("stage timings, ms")},
                  {"created_at_ms", Int()},
                  {"updated_at_ms", Int()},
                  {"started_at_ms", NullableInt()},
                  {"finished_at_ms", NullableInt()}},
                 {"id", "kind", "status", "progress", "attempts"});
  s["JobList"] = Page("Job");
  s["Moment"] =
      Obj({{"id", Str()},
           {"vod_id", Str()},
           {"job_id", NullableStr()},
           {"rank", Int("0 = best")},
           {"start_ms", Int()},
           {"end_ms", Int()},
           {"score", Num()},
           {"title", Str()},
           {"data", AnyObject("the moment as in moments.json: evidence, words, triggers")},
           {"created_at_ms", Int()}},
          {"id", "vod_id", "rank", "start_ms", "end_ms", "score", "title"});
  s["MomentList"] = Obj({{"items", ArrayOf(Ref("Moment"))}}, {"items"});
  json rect = Obj({{"x", Int()}, {"y", Int()}, {"width", Int()}, {"height", Int()}},
                  {"x", "y", "width", "height"});
  s["EditList"] = Obj(
      {{"version", Int("1")},
       {"source", Str("ignored: the worker fills in its downloaded copy")},
       {"start_ms", Int("source clock")},
       {"end_ms", Int("exclusive; 1000..180000 ms after start_ms, less the cuts")},
       {"output", Obj({{"width", Int("even")}, {"height", Int("even")}, {"fps", Int()}})},
       {"layout", Obj({{"mode", Enum({"auto", "fill", "split", "fit"})},
                       {"facecam", rect},
                       {"gameplay", rect}})},
       {"crop_keyframes",
        ArrayOf(Obj(
            {{"t_ms", Int()}, {"x", Num()}, {"y", Num()}, {"width", Num()}, {"height", Num()}}))},
       {"cuts", ArrayOf(Obj({{"start_ms", Int("source clock, inside the clip")},
                             {"end_ms", Int("exclusive; in order, not overlapping")}},
                            {"start_ms", "end_ms"}))},
       {"captions",
        Obj({{"enabled", Bool()},
             {"style", AnyObject("a caption style; null: the template's")},
             {"words", ArrayOf(Obj({{"text", Str()}, {"start_ms", Int()}, {"end_ms", Int()}},
                                   {"text", "start_ms", "end_ms"}))}})},
       {"title", Str()},
       {"template", Str("a built-in template id")},
       {"moment_id", Int()}},
      {"start_ms", "end_ms"}, "docs/edit-list.md");
  s["Clip"] = Obj({{"id", Str()},
                   {"vod_id", NullableStr("null for a live clip")},
                   {"live_job_id", NullableStr("the live job that cut it (GET /v1/live)")},
                   {"moment_id", NullableStr()},
                   {"status", Enum({"pending", "rendering", "ready", "failed"})},
                   {"title", Str()},
                   {"edit_list", Ref("EditList")},
                   {"template_id", NullableStr()},
                   {"has_output", Bool("GET /v1/clips/{id}/download works")},
                   {"has_thumbnail", Bool()},
                   {"duration_ms", NullableInt()},
                   {"size_bytes", NullableInt()},
                   {"error", NullableStr()},
                   {"created_at_ms", Int()},
                   {"updated_at_ms", Int()}},
                  {"id", "vod_id", "status", "title", "edit_list"},
                  "a live clip (live_job_id set, no VOD) has the edit list {\"live\": "
                  "{start_ms, end_ms, reason, source}} and cannot be edited or rendered again");
  json summary = s["Clip"];
  summary["properties"].erase("edit_list");
  summary["required"] = {"id", "vod_id", "status", "title"};
  summary["description"] = "a clip without its edit list (GET /v1/clips/{id} has it)";
  s["ClipSummary"] = summary;
  s["ClipList"] = Page("ClipSummary");
  s["CreateClipRequest"] = Obj({{"vod_id", Str()},
                                {"moment_id", Str()},
                                {"edit_list", Ref("EditList")},
                                {"title", Str()},
                                {"template_id", Str()}},
                               {"vod_id"});
  s["UpdateClipRequest"] = Obj({{"edit_list", Ref("EditList")},
                                {"title", Str()},
                                {"template_id", Str("one of your templates; \"\" for none")}});
  s["TemplateDocument"] = Obj({{"version", Int("1")},
                               {"id", Str("[a-z0-9_-]{1,64}")},
                               {"name", Str()},
                               {"captions", AnyObject("{\"preset\": \"bold\", ...overrides}")},
                               {"logo", Obj({{"path", Str("object key")},
                                             {"position", Str()},
                                             {"width_fraction", Num()},
                                             {"opacity", Num()},
                                             {"margin_px", Int()}},
                                            {"path"})},
                               {"title_card", Obj({{"enabled", Bool()},
                                                   {"duration_ms", Int()},
                                                   {"font_family", Str()},
                                                   {"text_color", Str("#RRGGBB[AA]")},
                                                   {"box_color", Str("#RRGGBB[AA]")},
                                                   {"position_y_fraction", Num()}})},
                               {"audio", Obj({{"normalize", Bool()},
                                              {"loudness_lufs", Num("-30..-5, default -14")},
                                              {"true_peak_dbtp", Num("-9..0, default -1")}})},
                               {"default_layout", Enum({"auto", "fill", "split", "fit"})},
                               {"accent_color", Str("#RRGGBB[AA]")}},
                              {"version"}, "docs/templates.md");
  s["TemplateRequest"] = Obj({{"name", Str("1..100 bytes")}, {"document", Ref("TemplateDocument")}},
                             {"name", "document"});
  s["Template"] = Obj({{"id", Str()},
                       {"name", Str()},
                       {"document", Ref("TemplateDocument")},
                       {"created_at_ms", Int()},
                       {"updated_at_ms", Int()}},
                      {"id", "name", "document"});
  s["TemplateList"] = Obj({{"items", ArrayOf(Ref("Template"))}}, {"items"});
  json ai = Obj({{"speech_backend", Enum({"sphinx", "remote", "none"})},
                 {"base_url", Str("http(s) URL of an OpenAI-compatible server")},
                 {"model", Str()}});
  s["Settings"] =
      Obj({{"default_template_id", NullableStr()}, {"ai", ai}, {"updated_at_ms", Int()}},
          {"default_template_id", "ai"});
  s["SettingsRequest"] = Obj({{"default_template_id", NullableStr("null clears it")}, {"ai", ai}});
  s["LeaseRequest"] = Obj({{"worker_id", Str("[A-Za-z0-9._:-]{1,200}, e.g. host-pid-rand")},
                           {"roles", ArrayOf(Enum({"analyze", "render", "live"}))},
                           {"lease_ms", Int("1000..600000, default 30000")}},
                          {"worker_id", "roles"});
  s["LeaseResponse"] =
      Obj({{"job", Obj({{"id", Str()},
                        {"kind", Enum({"analyze", "render", "live"})},
                        {"attempt", Int("send back in every report")},
                        {"user_id", Str()},
                        {"vod_id", Str()},
                        {"clip_id", Str()},
                        {"params", AnyObject("analyze: top, render_top, has_chat, template_id; "
                                             "render: clip_id, edit_list, template; live: "
                                             "source, chat, layout, template_id, template")},
                        {"lease_expires_at_ms", Int()},
                        {"live", Obj({{"next_minute", Int("the first minute not charged yet: "
                                                          "send it to live-minute next")},
                                      {"clips", Int("clips already cut")}},
                                     {"next_minute", "clips"}, "live jobs only")}},
                       {"id", "kind", "attempt", "params", "lease_expires_at_ms"})}},
          {"job"});
  s["HeartbeatRequest"] = Obj({{"worker_id", Str()},
                               {"attempt", Int()},
                               {"progress", Num("0..1")},
                               {"stage", Str()},
                               {"lease_ms", Int("default 30000")}},
                              {"worker_id", "attempt"});
  s["HeartbeatResponse"] = Obj({{"lease_expires_at_ms", Int()}}, {"lease_expires_at_ms"});
  s["CompleteRequest"] = Obj({{"worker_id", Str()},
                              {"attempt", Int()},
                              {"result", AnyObject("analyze: {moments, duration_ms}; render: "
                                                   "{output_key, thumbnail_key, duration_ms, "
                                                   "size_bytes}")}},
                             {"worker_id", "attempt", "result"});
  s["FailRequest"] = Obj({{"worker_id", Str()},
                          {"attempt", Int()},
                          {"error", Str("1..4000 bytes")},
                          {"retryable", Bool("default true")}},
                         {"worker_id", "attempt", "error"});
  s["ReleaseRequest"] = Obj({{"worker_id", Str()}, {"attempt", Int()}}, {"worker_id", "attempt"});
  s["StartLiveRequest"] = Obj({{"source", Str("an http(s) HLS URL or https://www.twitch.tv/NAME")},
                               {"chat", Str("irc://HOST[:PORT]/#channel")},
                               {"template", Str("one of your brand template ids")},
                               {"layout", Enum({"auto", "fill", "split", "fit"})}},
                              {"source"});
  s["LiveClipRequest"] = Obj({{"worker_id", Str()},
                              {"attempt", Int()},
                              {"start_ms", Int("the clip's start in the session, ms")},
                              {"end_ms", Int("after start_ms")},
                              {"reason", Str("what asked for it: shown as the clip's title")}},
                             {"worker_id", "attempt", "start_ms", "end_ms"});
  s["LiveClipCreated"] = Obj({{"clip_id", Str()}}, {"clip_id"});
  s["UploadedFile"] = Obj({{"key", Str()}, {"size_bytes", Int()}}, {"key", "size_bytes"});
  BillingSchemas(s);
  return s;
}

}  // namespace clipthat::api
