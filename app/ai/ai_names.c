/* What AI settings may be (ai_names.h). */
#include "ai_names.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../upstream/upstream.h"

static bool is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* ai_providers.name: ^[a-z0-9][a-z0-9_-]{0,62}$. */
bool ai_provider_name_ok(struct str s)
{
	size_t i;

	if (s.len < 1 || s.len > 63)
		return false;
	for (i = 0; i < s.len; i++)
		if (!((s.p[i] >= 'a' && s.p[i] <= 'z') || (s.p[i] >= '0' && s.p[i] <= '9') ||
		      (i > 0 && (s.p[i] == '_' || s.p[i] == '-'))))
			return false;
	return true;
}

/* ai_aliases.name: ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$. */
bool ai_alias_name_ok(struct str s)
{
	size_t i;

	if (s.len < 1 || s.len > 128)
		return false;
	for (i = 0; i < s.len; i++)
		if (!is_alnum(s.p[i]) && (i == 0 || strchr("._:-", s.p[i]) == NULL))
			return false;
	return true;
}

/* tenants.ai_prefix: ^(/[A-Za-z0-9._~-]{1,32}){0,4}$, "" being the root; and no segment
 * "." or "..", which a normalised request path never has (the routes could not be hit). */
bool ai_prefix_ok(const char *p)
{
	size_t segments = 0, len;

	while (*p != '\0') {
		if (*p++ != '/' || ++segments > AI_PREFIX_SEGMENTS)
			return false;
		for (len = 0; p[len] != '\0' && p[len] != '/'; len++)
			if (!is_alnum(p[len]) && strchr("._~-", p[len]) == NULL)
				return false;
		if (len == 0 || len > AI_PREFIX_SEGMENT_MAX || strncmp(p, "..", len) == 0)
			return false;
		p += len;
	}
	return true;
}

/* The path of a base URL (after its origin): segments of unreserved characters, ':', '@',
 * '+', ',', ';', '=' and %XX escapes, none empty, "." or ".."; no query or fragment. */
static bool url_path_ok(const char *p)
{
	size_t len;

	while (*p != '\0') {
		if (*p++ != '/')
			return false;
		for (len = 0; p[len] != '\0' && p[len] != '/'; len++) {
			if (p[len] == '%' && is_hex(p[len + 1]) && is_hex(p[len + 2]))
				len += 2;
			else if (!is_alnum(p[len]) && strchr("-._~:@+,;=", p[len]) == NULL)
				return false;
		}
		if (len == 0 || strncmp(p, "..", len) == 0)
			return false;
		p += len;
	}
	return true;
}

bool ai_base_url_ok(const struct config *cfg, char *url, char *why, size_t n)
{
	char reason[320], *path;
	struct addr_url u;
	size_t len = strlen(url);

	if (len == 0 || len > AI_BASE_URL_MAX) {
		snprintf(why, n, "base_url must be a URL of at most %d characters.",
			 AI_BASE_URL_MAX);
		return false;
	}
	while (len > 0 && url[len - 1] == '/')
		url[--len] = '\0';
	/* The scheme in lower case, as the table's check and the AI pool want it. */
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(why, n,
			 "base_url must be an http:// or https:// URL (scheme in lower case).");
		return false;
	}
	path = strchr(url + (url[4] == 's' ? 8 : 7), '/');
	if (path != NULL && !url_path_ok(path)) {
		snprintf(why, n,
			 "base_url's path may hold only letters, digits, %%XX escapes and "
			 "-._~:@+,;= between its '/'s (no empty, \".\" or \"..\" segment, no query "
			 "or fragment).");
		return false;
	}
	if (path != NULL)
		*path = '\0'; /* the origin alone, for upstream_check() */
	if (upstream_check(cfg, url, &u, reason, sizeof(reason)) != ERR_OK) {
		if (path != NULL)
			*path = '/';
		snprintf(why, n, "base_url is refused: %s.", reason);
		return false;
	}
	if (path != NULL)
		*path = '/';
	return true;
}

/* ai_providers' key: 1 to 512 visible ASCII characters. */
bool ai_api_key_ok(const char *k)
{
	size_t i, n = strlen(k);

	if (n < 1 || n > AI_API_KEY_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

/* A model's name: 1 to 128 bytes, no control characters. */
bool ai_model_ok(const char *m)
{
	size_t i, n = strlen(m);

	if (n < 1 || n > AI_MODEL_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)m[i] < 0x20 || m[i] == 0x7f)
			return false;
	return true;
}

void ai_webhook_secret(const struct config *cfg, int64_t tenant_id, char out[AI_WEBHOOK_SECRET_LEN])
{
	unsigned char h[CRYPTOX_HASH_BYTES];
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "ai-webhook:%lld", (long long)tenant_id);

	cryptox_keyed_hash(h, cfg->secret_key, msg, (size_t)n);
	memcpy(out, "whsec_", 6);
	codec_hex(h, sizeof(h), out + 6);
	cryptox_wipe(h, sizeof(h));
}
