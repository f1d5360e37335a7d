/* The problem catalogue: slug (the end of the `type` URI) and title of each kind. */
#include "problems.h"

static const struct {
	const char *slug;
	const char *title;
} problems[PROB__MAX] = {
    [PROB_NONE] = {"about:blank", "Error"},
    [PROB_MISSING_API_KEY] = {"missing-api-key", "API key required"},
    [PROB_INVALID_API_KEY] = {"invalid-api-key", "Invalid API key"},
    [PROB_TENANT_SUSPENDED] = {"tenant-suspended", "Account suspended"},
    [PROB_NO_UPSTREAM] = {"no-upstream", "No upstream configured"},
    [PROB_NOT_READY] = {"not-ready", "Not ready"},
    [PROB_NOT_FOUND] = {"not-found", "Not found"},
    [PROB_METHOD_NOT_ALLOWED] = {"method-not-allowed", "Method not allowed"},
    [PROB_BAD_REQUEST] = {"bad-request", "Bad request"},
    [PROB_TOO_LARGE] = {"payload-too-large", "Payload too large"},
    [PROB_CONFLICT] = {"conflict", "Conflict"},
    [PROB_FORBIDDEN] = {"forbidden", "Forbidden"},
    [PROB_RATE_LIMITED] = {"rate-limited", "Too many requests"},
    [PROB_QUOTA_EXCEEDED] = {"quota-exceeded", "Monthly quota exceeded"},
    [PROB_ABUSE] = {"abnormal-usage-detected", "Abnormal usage detected"},
    [PROB_UNAVAILABLE] = {"unavailable", "Service unavailable"},
    [PROB_INTERNAL] = {"internal-error", "Internal error"},
    [PROB_MISSING_TOKEN] = {"missing-token", "Management token required"},
    [PROB_INVALID_TOKEN] = {"invalid-token", "Invalid management token"},
    [PROB_INVALID_PARAMETER] = {"invalid-parameter", "Invalid parameter"},
    [PROB_INVALID_BODY] = {"invalid-body", "Invalid request body"},
    [PROB_IDEMPOTENCY_KEY_REUSED] = {"idempotency-key-reused",
				     "Idempotency key reused with another request"},
    [PROB_TIMEOUT] = {"request-timeout", "Request timeout"},
    [PROB_UPSTREAM_FORBIDDEN] = {"upstream-forbidden", "Upstream not allowed"},
    [PROB_MODEL_NOT_FOUND] = {"model-not-found", "Model not found"},
    [PROB_BUDGET_EXCEEDED] = {"budget-exceeded", "Budget exceeded"},
    [PROB_PROVIDERS_FAILED] = {"providers-failed", "AI providers failed"},
    [PROB_PROVIDER_TIMEOUT] = {"provider-timeout", "AI provider timeout"},
};

const char *problem_slug(enum problem_kind k)
{
	return problems[k < PROB__MAX ? k : PROB_NONE].slug;
}

const char *problem_title(enum problem_kind k)
{
	return problems[k < PROB__MAX ? k : PROB_NONE].title;
}
