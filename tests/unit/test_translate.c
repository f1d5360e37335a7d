/* translate: OpenAI Chat Completions <-> Anthropic Messages. Requests, answers and streams
 * in both directions, each output read back as JSON (or split into SSE records) and checked
 * member by member; and text with quotes, backslashes, newlines and non-ASCII UTF-8 through
 * every direction. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/ai/translate.h"

/* Everything a test makes is kept here and freed by the fixture. */
#define KEEP_MAX 2048
#define RECS_MAX 64

static struct jsonx_doc *docs[KEEP_MAX];
static int ndocs;
static char *texts[KEEP_MAX];
static int ntexts;
static struct buf out;
static struct ai_stream_xlate sx;

static void setup(void)
{
	ndocs = 0;
	ntexts = 0;
	buf_init(&out, 0);
}

static void teardown(void)
{
	int i;

	for (i = 0; i < ndocs; i++)
		jsonx_doc_free(docs[i]);
	for (i = 0; i < ntexts; i++)
		free(texts[i]);
	buf_free(&out);
}

TestSuite(translate, .init = setup, .fini = teardown, .timeout = 20);

static struct jsonx_doc *keep(struct jsonx_doc *d)
{
	cr_assert_lt(ndocs, KEEP_MAX);
	docs[ndocs++] = d;
	return d;
}

static char *keep_text(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	cr_assert_lt(ntexts, KEEP_MAX);
	memcpy(s, p, n);
	s[n] = '\0';
	texts[ntexts++] = s;
	return s;
}

/* A JSON fixture written with ' for ", so it stays readable ("\\'" gives an escaped "). */
static const char *J(const char *s)
{
	char *t = keep_text(s, strlen(s)), *c;

	for (c = t; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	return t;
}

__attribute__((format(printf, 1, 2))) static const char *fmt(const char *f, ...)
{
	struct buf b;
	const char *s;
	va_list ap;

	buf_init(&b, 0);
	va_start(ap, f);
	cr_assert(buf_vprintf(&b, f, ap));
	va_end(ap);
	s = keep_text(b.p, b.len);
	buf_free(&b);
	return s;
}

/* s as a JSON string, quotes included. */
static const char *jq(const char *s)
{
	struct buf b;
	const char *q;

	buf_init(&b, 0);
	cr_assert(buf_json_str(&b, s));
	q = keep_text(b.p, b.len);
	buf_free(&b);
	return q;
}

static struct jsonx_doc *parse_n(const char *p, size_t n)
{
	struct jsonx_doc *d;
	char msg[256];

	cr_assert_eq(jsonx_parse(p, n, &d, msg, sizeof(msg)), ERR_OK, "not JSON (%s): %.*s", msg,
		     (int)n, p);
	return keep(d);
}

static struct jsonx_doc *parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Getters that fail the test when the member is absent or of another type. */
static const char *str_at(const struct jsonx_doc *d, const char *path)
{
	const char *s;

	cr_assert(jsonx_get_str(d, path, &s), "no string at \"%s\"", path);
	return s;
}

static int64_t int_at(const struct jsonx_doc *d, const char *path)
{
	int64_t v;

	cr_assert(jsonx_get_int(d, path, &v), "no integer at \"%s\"", path);
	return v;
}

static double num_at(const struct jsonx_doc *d, const char *path)
{
	double v;

	cr_assert(jsonx_get_num(d, path, &v), "no number at \"%s\"", path);
	return v;
}

static bool bool_at(const struct jsonx_doc *d, const char *path)
{
	bool v;

	cr_assert(jsonx_get_bool(d, path, &v), "no boolean at \"%s\"", path);
	return v;
}

static size_t len_at(const struct jsonx_doc *d, const char *path)
{
	size_t n;

	cr_assert(jsonx_get_len(d, path, &n), "no array or object at \"%s\"", path);
	return n;
}

static struct jsonx_doc *elem(const struct jsonx_doc *d, const char *path, size_t i)
{
	struct jsonx_doc *e;

	cr_assert(jsonx_get_elem(d, path, i, &e), "no element %zu at \"%s\"", i, path);
	return keep(e);
}

/* The value at path as compact JSON ("null", "{}", ...). */
static const char *dump_at(const struct jsonx_doc *d, const char *path)
{
	struct buf b;
	const char *s;

	buf_init(&b, 0);
	cr_assert(jsonx_dump(d, path, &b), "nothing at \"%s\"", path);
	s = keep_text(b.p, b.len);
	buf_free(&b);
	return s;
}

/* A JSON object given as text (OpenAI's tool arguments), parsed. */
static struct jsonx_doc *args_of(const struct jsonx_doc *d, const char *path)
{
	return parse(str_at(d, path));
}

typedef bool (*xlate_fn)(const struct jsonx_doc *, const char *, struct buf *);

/* Runs f on the JSON text in (taken as it is) and reads its output back. */
static struct jsonx_doc *run_raw(xlate_fn f, const char *model, const char *in)
{
	struct jsonx_doc *d = parse(in);

	buf_reset(&out);
	cr_assert(f(d, model, &out), "translation refused: %s", in);
	cr_assert(!out.overflow);
	cr_assert_not_null(out.p);
	return parse_n(out.p, out.len);
}

/* The same, on a fixture written with ' for ". */
static struct jsonx_doc *run(xlate_fn f, const char *model, const char *in)
{
	return run_raw(f, model, J(in));
}

static bool refused(xlate_fn f, const char *in)
{
	struct jsonx_doc *d = parse(J(in));

	buf_reset(&out);
	return !f(d, "m", &out);
}

/* --- OpenAI request -> Anthropic request ------------------------------------------- */

#define TO_A ai_request_to_anthropic
#define TO_O ai_request_to_openai

Test(translate, req_to_anthropic_joins_system_and_developer_messages)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "claude-sonnet-4-5",
		"{'model':'gpt-4o','messages':[{'role':'system','content':'Be brief.'},"
		"{'role':'developer','content':'Answer in French.'},"
		"{'role':'user','content':'Hi'}]}");
	cr_assert_str_eq(str_at(r, "model"), "claude-sonnet-4-5");
	cr_assert_str_eq(str_at(r, "system"), "Be brief.\n\nAnswer in French.");
	cr_assert_eq(len_at(r, "messages"), 1);
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_eq(len_at(m, "content"), 1);
	cr_assert_str_eq(dump_at(m, "content"), "[{\"type\":\"text\",\"text\":\"Hi\"}]");
	/* Nothing the caller did not ask for. */
	cr_assert(!jsonx_has(r, "stream"));
	cr_assert(!jsonx_has(r, "temperature"));
	cr_assert(!jsonx_has(r, "top_p"));
	cr_assert(!jsonx_has(r, "stop_sequences"));
	cr_assert(!jsonx_has(r, "tools"));
	cr_assert(!jsonx_has(r, "tool_choice"));
}

Test(translate, req_to_anthropic_without_system_has_no_system_member)
{
	struct jsonx_doc *r;

	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'Hi'}]}");
	cr_assert(!jsonx_has(r, "system"));
	cr_assert_eq(len_at(r, "messages"), 1);
}

Test(translate, req_to_anthropic_keeps_user_and_assistant_turns_in_order)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'What is 2+2?'},"
		"{'role':'assistant','content':'4'},"
		"{'role':'user','content':'And 3+3?'}]}");
	cr_assert_eq(len_at(r, "messages"), 3);
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "type"), "text");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "What is 2+2?");
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	cr_assert_eq(len_at(m, "content"), 1);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "4");
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "And 3+3?");
}

Test(translate, req_to_anthropic_merges_consecutive_user_messages)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'one'},{'role':'user','content':'two'}]}");
	cr_assert_eq(len_at(r, "messages"), 1);
	m = elem(r, "messages", 0);
	cr_assert_eq(len_at(m, "content"), 2);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "one");
	cr_assert_str_eq(str_at(elem(m, "content", 1), "text"), "two");
}

Test(translate, req_to_anthropic_tool_calls_become_tool_use_and_results_one_user_turn)
{
	struct jsonx_doc *r, *m, *b;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'Weather in Paris and Rome?'},"
		"{'role':'assistant','content':'Let me check.','tool_calls':["
		"{'id':'call_1','type':'function','function':{'name':'get_weather',"
		"'arguments':'{\\'city\\':\\'Paris\\',\\'days\\':2}'}},"
		"{'id':'call_2','type':'function','function':{'name':'get_weather',"
		"'arguments':'{\\'city\\':\\'Rome\\'}'}}]},"
		"{'role':'tool','tool_call_id':'call_1','content':'18C'},"
		"{'role':'tool','tool_call_id':'call_2','content':'21C'},"
		"{'role':'assistant','content':'Paris 18C, Rome 21C.'}]}");
	/* user, assistant, user (both results), assistant: the roles alternate. */
	cr_assert_eq(len_at(r, "messages"), 4);
	cr_assert_str_eq(str_at(elem(r, "messages", 0), "role"), "user");

	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	cr_assert_eq(len_at(m, "content"), 3);
	b = elem(m, "content", 0);
	cr_assert_str_eq(str_at(b, "type"), "text");
	cr_assert_str_eq(str_at(b, "text"), "Let me check.");
	b = elem(m, "content", 1);
	cr_assert_str_eq(str_at(b, "type"), "tool_use");
	cr_assert_str_eq(str_at(b, "id"), "call_1");
	cr_assert_str_eq(str_at(b, "name"), "get_weather");
	cr_assert_str_eq(str_at(b, "input.city"), "Paris");
	cr_assert_eq(int_at(b, "input.days"), 2);
	cr_assert_eq(len_at(b, "input"), 2);
	b = elem(m, "content", 2);
	cr_assert_str_eq(str_at(b, "type"), "tool_use");
	cr_assert_str_eq(str_at(b, "id"), "call_2");
	cr_assert_str_eq(str_at(b, "input.city"), "Rome");

	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_eq(len_at(m, "content"), 2);
	b = elem(m, "content", 0);
	cr_assert_str_eq(str_at(b, "type"), "tool_result");
	cr_assert_str_eq(str_at(b, "tool_use_id"), "call_1");
	cr_assert_str_eq(str_at(b, "content"), "18C");
	b = elem(m, "content", 1);
	cr_assert_str_eq(str_at(b, "type"), "tool_result");
	cr_assert_str_eq(str_at(b, "tool_use_id"), "call_2");
	cr_assert_str_eq(str_at(b, "content"), "21C");

	m = elem(r, "messages", 3);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "Paris 18C, Rome 21C.");
}

Test(translate, req_to_anthropic_tool_results_then_user_text_share_one_user_turn)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'go'},"
		"{'role':'assistant','content':null,'tool_calls':[{'id':'call_9','type':'function',"
		"'function':{'name':'f','arguments':'{}'}}]},"
		"{'role':'tool','tool_call_id':'call_9','content':[{'type':'text','text':'done'}]},"
		"{'role':'user','content':'thanks'}]}");
	cr_assert_eq(len_at(r, "messages"), 3);
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	/* content null: only the tool_use block, no empty text block */
	cr_assert_eq(len_at(m, "content"), 1);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "type"), "tool_use");
	cr_assert_str_eq(dump_at(elem(m, "content", 0), "input"), "{}");
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_eq(len_at(m, "content"), 2);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "type"), "tool_result");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "tool_use_id"), "call_9");
	cr_assert_str_eq(str_at(elem(m, "content", 0), "content"), "done");
	cr_assert_str_eq(str_at(elem(m, "content", 1), "type"), "text");
	cr_assert_str_eq(str_at(elem(m, "content", 1), "text"), "thanks");
}

Test(translate, req_to_anthropic_arguments_not_a_json_object_give_empty_input)
{
	static const char *const bad[] = {"not json", "", "[1,2]", "42", "{\\'a\\':"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jsonx_doc *r, *b;

		r = run(TO_A, "c",
			fmt("{'messages':[{'role':'user','content':'x'},"
			    "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1',"
			    "'type':'function','function':{'name':'f','arguments':'%s'}}]}]}",
			    bad[i]));
		b = elem(elem(r, "messages", 1), "content", 0);
		cr_assert_str_eq(str_at(b, "type"), "tool_use");
		cr_assert_str_eq(dump_at(b, "input"), "{}", "arguments '%s'", bad[i]);
	}
}

Test(translate, req_to_anthropic_max_tokens_sources)
{
	struct jsonx_doc *r;

	r = run(TO_A, "c", "{'max_tokens':100,'messages':[{'role':'user','content':'x'}]}");
	cr_assert_eq(int_at(r, "max_tokens"), 100);
	r = run(TO_A, "c",
		"{'max_completion_tokens':200,'messages':[{'role':'user','content':'x'}]}");
	cr_assert_eq(int_at(r, "max_tokens"), 200);
	r = run(TO_A, "c",
		"{'max_tokens':100,'max_completion_tokens':200,"
		"'messages':[{'role':'user','content':'x'}]}");
	cr_assert_eq(int_at(r, "max_tokens"), 100);
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}]}");
	cr_assert_eq(int_at(r, "max_tokens"), AI_DEFAULT_MAX_TOKENS);
	cr_assert_eq(int_at(r, "max_tokens"), 4096);
}

Test(translate, req_to_anthropic_copies_temperature_top_p_and_stream)
{
	struct jsonx_doc *r;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'x'}],'temperature':0.25,'top_p':0.5,"
		"'stream':true}");
	cr_assert_eq(num_at(r, "temperature"), 0.25);
	cr_assert_eq(num_at(r, "top_p"), 0.5);
	cr_assert(bool_at(r, "stream"));
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'temperature':1}");
	cr_assert_eq(num_at(r, "temperature"), 1.0);
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'stream':false}");
	cr_assert(!jsonx_has(r, "stream"));
}

Test(translate, req_to_anthropic_stop_string_and_array)
{
	struct jsonx_doc *r;

	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'stop':'END'}");
	cr_assert_eq(len_at(r, "stop_sequences"), 1);
	cr_assert_str_eq(dump_at(r, "stop_sequences"), "[\"END\"]");
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'stop':['a','\\n\\n']}");
	cr_assert_str_eq(dump_at(r, "stop_sequences"), "[\"a\",\"\\n\\n\"]");
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'stop':[]}");
	cr_assert(!jsonx_has(r, "stop_sequences"));
	r = run(TO_A, "c", "{'messages':[{'role':'user','content':'x'}],'stop':null}");
	cr_assert(!jsonx_has(r, "stop_sequences"));
}

Test(translate, req_to_anthropic_tools)
{
	struct jsonx_doc *r, *t;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':'x'}],'tools':["
		"{'type':'function','function':{'name':'get_weather','description':'Weather now',"
		"'parameters':{'type':'object','properties':{'city':{'type':'string'}},"
		"'required':['city']}}},"
		"{'type':'function','function':{'name':'noop'}}]}");
	cr_assert_eq(len_at(r, "tools"), 2);
	t = elem(r, "tools", 0);
	cr_assert_str_eq(str_at(t, "name"), "get_weather");
	cr_assert_str_eq(str_at(t, "description"), "Weather now");
	cr_assert_str_eq(dump_at(t, "input_schema"),
			 "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
			 "\"required\":[\"city\"]}");
	cr_assert(!jsonx_has(t, "type"));
	cr_assert(!jsonx_has(t, "function"));
	t = elem(r, "tools", 1);
	cr_assert_str_eq(str_at(t, "name"), "noop");
	cr_assert(!jsonx_has(t, "description"));
	/* Anthropic requires input_schema: an object schema when OpenAI gave none. */
	cr_assert_str_eq(str_at(t, "input_schema.type"), "object");
}

Test(translate, req_to_anthropic_tool_choice)
{
	static const struct {
		const char *in, *type, *name;
	} cases[] = {
	    {"'required'", "any", NULL},
	    {"'none'", "none", NULL},
	    {"'auto'", "auto", NULL},
	    {"{'type':'function','function':{'name':'get_weather'}}", "tool", "get_weather"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonx_doc *r;

		r = run(TO_A, "c",
			fmt("{'messages':[{'role':'user','content':'x'}],'tool_choice':%s}",
			    cases[i].in));
		cr_assert_str_eq(str_at(r, "tool_choice.type"), cases[i].type, "%s", cases[i].in);
		if (cases[i].name != NULL)
			cr_assert_str_eq(str_at(r, "tool_choice.name"), cases[i].name);
		else
			cr_assert(!jsonx_has(r, "tool_choice.name"));
	}
}

Test(translate, req_to_anthropic_content_as_array_of_text_parts)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "c",
		"{'messages':[{'role':'system','content':[{'type':'text','text':'Rule one.'},"
		"{'type':'text','text':'Rule two.'}]},"
		"{'role':'user','content':[{'type':'text','text':'Hello'},"
		"{'type':'text','text':'world'}]}]}");
	/* Parts of one message are joined with a newline, into one text block. */
	cr_assert_str_eq(str_at(r, "system"), "Rule one.\nRule two.");
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_eq(len_at(m, "content"), 1);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "Hello\nworld");
}

Test(translate, req_to_anthropic_leaves_out_image_parts)
{
	struct jsonx_doc *r, *m;

	r = run(TO_A, "c",
		"{'messages':[{'role':'user','content':[{'type':'text','text':'What is this?'},"
		"{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}]}");
	m = elem(r, "messages", 0);
	cr_assert_eq(len_at(m, "content"), 1);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), "What is this?");
}

/* --- Anthropic request -> OpenAI request ------------------------------------------- */

Test(translate, req_to_openai_system_string_and_model)
{
	struct jsonx_doc *r, *m;

	r = run(TO_O, "gpt-4o-mini",
		"{'model':'claude-sonnet-4-5','max_tokens':256,'system':'Be brief.',"
		"'messages':[{'role':'user','content':'Hi'}]}");
	cr_assert_str_eq(str_at(r, "model"), "gpt-4o-mini");
	cr_assert_eq(int_at(r, "max_tokens"), 256);
	cr_assert_eq(len_at(r, "messages"), 2);
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(m, "role"), "system");
	cr_assert_str_eq(str_at(m, "content"), "Be brief.");
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(m, "content"), "Hi");
	cr_assert(!jsonx_has(r, "stream"));
	cr_assert(!jsonx_has(r, "stream_options"));
	cr_assert(!jsonx_has(r, "stop"));
	cr_assert(!jsonx_has(r, "tools"));
	cr_assert(!jsonx_has(r, "tool_choice"));
}

Test(translate, req_to_openai_system_blocks_and_user_text_blocks)
{
	struct jsonx_doc *r, *m;

	r = run(TO_O, "g",
		"{'max_tokens':10,'system':[{'type':'text','text':'Rule one.'},"
		"{'type':'text','text':'Rule two.'}],"
		"'messages':[{'role':'user','content':[{'type':'text','text':'Hello'}]},"
		"{'role':'assistant','content':[{'type':'text','text':'Hi there'}]},"
		"{'role':'user','content':'Bye'}]}");
	cr_assert_eq(len_at(r, "messages"), 4);
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(m, "role"), "system");
	cr_assert_str_eq(str_at(m, "content"), "Rule one.\nRule two.");
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(m, "content"), "Hello");
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	cr_assert_str_eq(str_at(m, "content"), "Hi there");
	cr_assert(!jsonx_has(m, "tool_calls"));
	m = elem(r, "messages", 3);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(m, "content"), "Bye");
}

Test(translate, req_to_openai_no_system_no_system_message)
{
	struct jsonx_doc *r;

	r = run(TO_O, "g", "{'max_tokens':10,'messages':[{'role':'user','content':'Hi'}]}");
	cr_assert_eq(len_at(r, "messages"), 1);
	cr_assert_str_eq(str_at(elem(r, "messages", 0), "role"), "user");
}

Test(translate, req_to_openai_tool_use_and_tool_results)
{
	struct jsonx_doc *r, *m, *c, *a;

	r = run(TO_O, "g",
		"{'max_tokens':100,'messages':[{'role':'user','content':'Weather?'},"
		"{'role':'assistant','content':[{'type':'text','text':'Checking.'},"
		"{'type':'tool_use','id':'toolu_1','name':'get_weather',"
		"'input':{'city':'Paris','days':2}},"
		"{'type':'tool_use','id':'toolu_2','name':'get_time','input':{}}]},"
		"{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1',"
		"'content':'18C'},"
		"{'type':'tool_result','tool_use_id':'toolu_2',"
		"'content':[{'type':'text','text':'noon'}]},"
		"{'type':'text','text':'Summarise.'}]}]}");
	/* user, assistant, tool, tool, user */
	cr_assert_eq(len_at(r, "messages"), 5);
	cr_assert_str_eq(str_at(elem(r, "messages", 0), "content"), "Weather?");

	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	cr_assert_str_eq(str_at(m, "content"), "Checking.");
	cr_assert_eq(len_at(m, "tool_calls"), 2);
	c = elem(m, "tool_calls", 0);
	cr_assert_str_eq(str_at(c, "id"), "toolu_1");
	cr_assert_str_eq(str_at(c, "type"), "function");
	cr_assert_str_eq(str_at(c, "function.name"), "get_weather");
	a = args_of(c, "function.arguments"); /* a JSON string holding the input */
	cr_assert_str_eq(str_at(a, "city"), "Paris");
	cr_assert_eq(int_at(a, "days"), 2);
	cr_assert_eq(len_at(a, ""), 2);
	c = elem(m, "tool_calls", 1);
	cr_assert_str_eq(str_at(c, "id"), "toolu_2");
	cr_assert_str_eq(str_at(c, "function.name"), "get_time");
	cr_assert_str_eq(str_at(c, "function.arguments"), "{}");

	/* The results come first, each its own "tool" message, then the user's text. */
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "tool");
	cr_assert_str_eq(str_at(m, "tool_call_id"), "toolu_1");
	cr_assert_str_eq(str_at(m, "content"), "18C");
	m = elem(r, "messages", 3);
	cr_assert_str_eq(str_at(m, "role"), "tool");
	cr_assert_str_eq(str_at(m, "tool_call_id"), "toolu_2");
	cr_assert_str_eq(str_at(m, "content"), "noon");
	m = elem(r, "messages", 4);
	cr_assert_str_eq(str_at(m, "role"), "user");
	cr_assert_str_eq(str_at(m, "content"), "Summarise.");
}

Test(translate, req_to_openai_only_tool_results_give_no_user_message)
{
	struct jsonx_doc *r, *m;

	r = run(TO_O, "g",
		"{'max_tokens':100,'messages':[{'role':'user','content':'go'},"
		"{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'f',"
		"'input':{'q':1}}]},"
		"{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1',"
		"'content':'ok'}]}]}");
	cr_assert_eq(len_at(r, "messages"), 3);
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(m, "role"), "assistant");
	/* no text: content null beside the tool calls */
	cr_assert_str_eq(dump_at(m, "content"), "null");
	cr_assert_eq(len_at(m, "tool_calls"), 1);
	cr_assert_eq(int_at(args_of(elem(m, "tool_calls", 0), "function.arguments"), "q"), 1);
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "role"), "tool");
	cr_assert_str_eq(str_at(m, "tool_call_id"), "toolu_1");
	cr_assert_str_eq(str_at(m, "content"), "ok");
}

Test(translate, req_to_openai_stop_temperature_top_p_stream)
{
	struct jsonx_doc *r;

	r = run(TO_O, "g",
		"{'max_tokens':5,'messages':[{'role':'user','content':'x'}],"
		"'stop_sequences':['END','###'],'temperature':0.25,'top_p':0.5,'stream':true}");
	cr_assert_str_eq(dump_at(r, "stop"), "[\"END\",\"###\"]");
	cr_assert_eq(num_at(r, "temperature"), 0.25);
	cr_assert_eq(num_at(r, "top_p"), 0.5);
	cr_assert(bool_at(r, "stream"));
	cr_assert(bool_at(r, "stream_options.include_usage"));
	r = run(TO_O, "g",
		"{'max_tokens':5,'messages':[{'role':'user','content':'x'}],'stream':false,"
		"'stop_sequences':[]}");
	cr_assert(!jsonx_has(r, "stream"));
	cr_assert(!jsonx_has(r, "stream_options"));
	cr_assert(!jsonx_has(r, "stop"));
}

Test(translate, req_to_openai_tools)
{
	struct jsonx_doc *r, *t;

	r = run(TO_O, "g",
		"{'max_tokens':5,'messages':[{'role':'user','content':'x'}],'tools':["
		"{'name':'get_weather','description':'Weather now','input_schema':{'type':'object',"
		"'properties':{'city':{'type':'string'}}}},{'name':'noop','input_schema':"
		"{'type':'object'}}]}");
	cr_assert_eq(len_at(r, "tools"), 2);
	t = elem(r, "tools", 0);
	cr_assert_str_eq(str_at(t, "type"), "function");
	cr_assert_str_eq(str_at(t, "function.name"), "get_weather");
	cr_assert_str_eq(str_at(t, "function.description"), "Weather now");
	cr_assert_str_eq(dump_at(t, "function.parameters"),
			 "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
	t = elem(r, "tools", 1);
	cr_assert_str_eq(str_at(t, "function.name"), "noop");
	cr_assert(!jsonx_has(t, "function.description"));
	cr_assert_str_eq(dump_at(t, "function.parameters"), "{\"type\":\"object\"}");
}

Test(translate, req_to_openai_tool_choice)
{
	static const struct {
		const char *in, *out;
	} words[] = {{"any", "required"}, {"none", "none"}, {"auto", "auto"}};
	struct jsonx_doc *r;
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		r = run(TO_O, "g",
			fmt("{'max_tokens':5,'messages':[{'role':'user','content':'x'}],"
			    "'tool_choice':{'type':'%s'}}",
			    words[i].in));
		cr_assert_str_eq(str_at(r, "tool_choice"), words[i].out, "%s", words[i].in);
	}
	r = run(TO_O, "g",
		"{'max_tokens':5,'messages':[{'role':'user','content':'x'}],"
		"'tool_choice':{'type':'tool','name':'get_weather'}}");
	cr_assert_str_eq(str_at(r, "tool_choice.type"), "function");
	cr_assert_str_eq(str_at(r, "tool_choice.function.name"), "get_weather");
}

/* --- answers -------------------------------------------------------------------------- */

#define ANS_O ai_answer_to_openai
#define ANS_A ai_answer_to_anthropic

Test(translate, answer_to_openai_text)
{
	struct jsonx_doc *r, *c;

	r = run(ANS_O, "my-alias",
		"{'id':'msg_01','type':'message','role':'assistant','model':'claude-sonnet-4-5',"
		"'content':[{'type':'text','text':'Hello!'}],'stop_reason':'end_turn',"
		"'stop_sequence':null,'usage':{'input_tokens':10,'output_tokens':3}}");
	cr_assert_str_eq(str_at(r, "id"), "chatcmpl-msg_01");
	cr_assert_str_eq(str_at(r, "object"), "chat.completion");
	cr_assert_gt(int_at(r, "created"), 1600000000);
	cr_assert_str_eq(str_at(r, "model"), "my-alias");
	cr_assert_eq(len_at(r, "choices"), 1);
	c = elem(r, "choices", 0);
	cr_assert_eq(int_at(c, "index"), 0);
	cr_assert_str_eq(str_at(c, "message.role"), "assistant");
	cr_assert_str_eq(str_at(c, "message.content"), "Hello!");
	cr_assert(!jsonx_has(c, "message.tool_calls"));
	cr_assert_str_eq(str_at(c, "finish_reason"), "stop");
	cr_assert_eq(int_at(r, "usage.prompt_tokens"), 10);
	cr_assert_eq(int_at(r, "usage.completion_tokens"), 3);
	cr_assert_eq(int_at(r, "usage.total_tokens"), 13);
}

Test(translate, answer_to_openai_tool_use)
{
	struct jsonx_doc *r, *c, *t, *a;

	r = run(ANS_O, "m",
		"{'id':'msg_02','type':'message','role':'assistant','model':'x',"
		"'content':[{'type':'text','text':'Let me check.'},"
		"{'type':'tool_use','id':'toolu_1','name':'get_weather',"
		"'input':{'city':'Paris','units':['C']}},"
		"{'type':'tool_use','id':'toolu_2','name':'get_time','input':{}}],"
		"'stop_reason':'tool_use','usage':{'input_tokens':50,'output_tokens':20}}");
	c = elem(r, "choices", 0);
	cr_assert_str_eq(str_at(c, "message.content"), "Let me check.");
	cr_assert_eq(len_at(c, "message.tool_calls"), 2);
	t = elem(c, "message.tool_calls", 0);
	cr_assert_str_eq(str_at(t, "id"), "toolu_1");
	cr_assert_str_eq(str_at(t, "type"), "function");
	cr_assert_str_eq(str_at(t, "function.name"), "get_weather");
	a = args_of(t, "function.arguments");
	cr_assert_str_eq(str_at(a, "city"), "Paris");
	cr_assert_str_eq(dump_at(a, "units"), "[\"C\"]");
	t = elem(c, "message.tool_calls", 1);
	cr_assert_str_eq(str_at(t, "id"), "toolu_2");
	cr_assert_str_eq(str_at(t, "function.arguments"), "{}");
	cr_assert_str_eq(str_at(c, "finish_reason"), "tool_calls");
	cr_assert_eq(int_at(r, "usage.total_tokens"), 70);
}

Test(translate, answer_to_openai_only_tool_use_has_null_content)
{
	struct jsonx_doc *r, *c;

	r = run(ANS_O, "m",
		"{'id':'msg_03','content':[{'type':'tool_use','id':'toolu_1','name':'f',"
		"'input':{'a':1}}],'stop_reason':'tool_use',"
		"'usage':{'input_tokens':1,'output_tokens':2}}");
	c = elem(r, "choices", 0);
	cr_assert_str_eq(dump_at(c, "message.content"), "null");
	cr_assert_eq(len_at(c, "message.tool_calls"), 1);
	cr_assert_eq(int_at(args_of(elem(c, "message.tool_calls", 0), "function.arguments"), "a"),
		     1);
}

Test(translate, answer_to_openai_stop_reasons)
{
	static const struct {
		const char *stop, *finish;
	} cases[] = {
	    {"end_turn", "stop"},	   {"max_tokens", "length"},
	    {"tool_use", "tool_calls"},	   {"stop_sequence", "stop"},
	    {"refusal", "content_filter"}, {"model_context_window_exceeded", "length"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonx_doc *r;

		r = run(ANS_O, "m",
			fmt("{'id':'msg_1','content':[{'type':'text','text':'x'}],"
			    "'stop_reason':'%s','usage':{'input_tokens':1,'output_tokens':1}}",
			    cases[i].stop));
		cr_assert_str_eq(str_at(elem(r, "choices", 0), "finish_reason"), cases[i].finish,
				 "stop_reason %s", cases[i].stop);
	}
}

Test(translate, answer_to_openai_without_content_is_refused)
{
	cr_assert(refused(ANS_O, "{'id':'msg_1','type':'message','stop_reason':'end_turn'}"));
	cr_assert(refused(ANS_O, "{'id':'msg_1','content':'a string','stop_reason':'end_turn'}"));
	cr_assert(refused(ANS_O, "{'type':'error','error':{'type':'overloaded_error',"
				 "'message':'Overloaded'}}"));
}

Test(translate, answer_to_anthropic_text)
{
	struct jsonx_doc *r, *b;

	r = run(ANS_A, "my-alias",
		"{'id':'chatcmpl-1','object':'chat.completion','created':1741569952,"
		"'model':'gpt-4o-mini','choices':[{'index':0,'message':{'role':'assistant',"
		"'content':'Hello!','refusal':null},'logprobs':null,'finish_reason':'stop'}],"
		"'usage':{'prompt_tokens':9,'completion_tokens':2,'total_tokens':11}}");
	cr_assert_str_eq(str_at(r, "id"), "msg_chatcmpl-1");
	cr_assert_str_eq(str_at(r, "type"), "message");
	cr_assert_str_eq(str_at(r, "role"), "assistant");
	cr_assert_str_eq(str_at(r, "model"), "my-alias");
	cr_assert_eq(len_at(r, "content"), 1);
	b = elem(r, "content", 0);
	cr_assert_str_eq(str_at(b, "type"), "text");
	cr_assert_str_eq(str_at(b, "text"), "Hello!");
	cr_assert_str_eq(str_at(r, "stop_reason"), "end_turn");
	cr_assert_str_eq(dump_at(r, "stop_sequence"), "null");
	cr_assert_eq(int_at(r, "usage.input_tokens"), 9);
	cr_assert_eq(int_at(r, "usage.output_tokens"), 2);
}

Test(translate, answer_to_anthropic_null_content_with_tool_calls)
{
	struct jsonx_doc *r, *b;

	r = run(ANS_A, "m",
		"{'id':'chatcmpl-2','object':'chat.completion','created':1,'model':'g',"
		"'choices':[{'index':0,'message':{'role':'assistant','content':null,"
		"'tool_calls':[{'id':'call_1','type':'function','function':{'name':'get_weather',"
		"'arguments':'{\\'city\\':\\'Paris\\'}'}},"
		"{'id':'call_2','type':'function','function':{'name':'broken',"
		"'arguments':'{not json'}}]},"
		"'logprobs':null,'finish_reason':'tool_calls'}],"
		"'usage':{'prompt_tokens':30,'completion_tokens':12,'total_tokens':42}}");
	cr_assert_eq(len_at(r, "content"), 2);
	b = elem(r, "content", 0);
	cr_assert_str_eq(str_at(b, "type"), "tool_use");
	cr_assert_str_eq(str_at(b, "id"), "call_1");
	cr_assert_str_eq(str_at(b, "name"), "get_weather");
	cr_assert_str_eq(str_at(b, "input.city"), "Paris");
	cr_assert_eq(len_at(b, "input"), 1);
	b = elem(r, "content", 1);
	cr_assert_str_eq(str_at(b, "id"), "call_2");
	cr_assert_str_eq(dump_at(b, "input"), "{}");
	cr_assert_str_eq(str_at(r, "stop_reason"), "tool_use");
	cr_assert_eq(int_at(r, "usage.input_tokens"), 30);
	cr_assert_eq(int_at(r, "usage.output_tokens"), 12);
}

Test(translate, answer_to_anthropic_text_and_tool_calls_and_empty_text)
{
	struct jsonx_doc *r;

	r = run(ANS_A, "m",
		"{'id':'c','choices':[{'index':0,'message':{'role':'assistant',"
		"'content':'Checking.','tool_calls':[{'id':'call_1','type':'function',"
		"'function':{'name':'f','arguments':'{}'}}]},'finish_reason':'tool_calls'}]}");
	cr_assert_eq(len_at(r, "content"), 2);
	cr_assert_str_eq(str_at(elem(r, "content", 0), "text"), "Checking.");
	cr_assert_str_eq(str_at(elem(r, "content", 1), "type"), "tool_use");
	/* no usage given: zeros */
	cr_assert_eq(int_at(r, "usage.input_tokens"), 0);
	cr_assert_eq(int_at(r, "usage.output_tokens"), 0);

	r = run(ANS_A, "m",
		"{'id':'c','choices':[{'index':0,'message':{'role':'assistant','content':''},"
		"'finish_reason':'stop'}]}");
	cr_assert_eq(len_at(r, "content"), 0);
}

Test(translate, answer_to_anthropic_finish_reasons)
{
	static const struct {
		const char *finish, *stop;
	} cases[] = {
	    {"'stop'", "end_turn"},	     {"'length'", "max_tokens"},
	    {"'tool_calls'", "tool_use"},    {"'content_filter'", "refusal"},
	    {"'function_call'", "tool_use"}, {"null", "end_turn"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonx_doc *r;

		r = run(ANS_A, "m",
			fmt("{'id':'c','choices':[{'index':0,'message':{'role':'assistant',"
			    "'content':'x'},'finish_reason':%s}]}",
			    cases[i].finish));
		cr_assert_str_eq(str_at(r, "stop_reason"), cases[i].stop, "finish_reason %s",
				 cases[i].finish);
	}
}

Test(translate, answer_to_anthropic_without_choices_is_refused)
{
	cr_assert(refused(ANS_A, "{'id':'c','object':'chat.completion','choices':[]}"));
	cr_assert(refused(ANS_A, "{'id':'c','object':'chat.completion'}"));
	cr_assert(refused(ANS_A, "{'error':{'message':'x','type':'server_error','param':null,"
				 "'code':null}}"));
}

/* --- streams ------------------------------------------------------------------------- */

/* One SSE record: its event name (NULL when it has none) and its one data line. */
struct rec {
	const char *event;
	const char *data;
};

/* Splits out into records; each must be "[event: X\n]data: ...\n\n". */
static int sse_records(struct rec *r, int max)
{
	char *p = keep_text(out.p != NULL ? out.p : "", out.len), *end = p + out.len;
	int n = 0;

	while (p < end) {
		char *sep = strstr(p, "\n\n"), *nl;

		cr_assert_not_null(sep, "a record not ended by a blank line: %s", p);
		*sep = '\0';
		cr_assert_lt(n, max);
		r[n].event = NULL;
		if (strncmp(p, "event: ", 7) == 0) {
			nl = strchr(p, '\n');
			cr_assert_not_null(nl, "an event without data: %s", p);
			*nl = '\0';
			r[n].event = p + 7;
			p = nl + 1;
		}
		cr_assert(strncmp(p, "data: ", 6) == 0, "not a data line: %s", p);
		r[n].data = p + 6;
		cr_assert_null(strchr(r[n].data, '\n'), "data on several lines: %s", r[n].data);
		n++;
		p = sep + 2;
	}
	return n;
}

/* OpenAI output: data-only records, each chunk JSON with the same id and created, ending
 * with [DONE]. Returns the number of chunks (before [DONE]) put into c. */
static int openai_chunks(struct jsonx_doc **c, int max, const char *model)
{
	struct rec r[RECS_MAX];
	int n = sse_records(r, RECS_MAX), i;
	const char *id = NULL;
	int64_t created = 0;

	cr_assert_geq(n, 1);
	cr_assert_leq(n - 1, max);
	cr_assert(out.len >= 14 && strcmp(out.p + out.len - 14, "data: [DONE]\n\n") == 0,
		  "does not end with [DONE]: %s", out.p);
	for (i = 0; i < n; i++) {
		cr_assert_null(r[i].event, "an event line in an OpenAI stream");
		if (i == n - 1) {
			cr_assert_str_eq(r[i].data, "[DONE]");
			break;
		}
		c[i] = parse(r[i].data);
		cr_assert_str_eq(str_at(c[i], "object"), "chat.completion.chunk");
		cr_assert_str_eq(str_at(c[i], "model"), model);
		if (i == 0) {
			id = str_at(c[i], "id");
			created = int_at(c[i], "created");
		} else {
			cr_assert_str_eq(str_at(c[i], "id"), id);
			cr_assert_eq(int_at(c[i], "created"), created);
		}
	}
	return n - 1;
}

/* Anthropic output: event + data records whose data's type is the event name. */
static int anthropic_events(struct rec *r, struct jsonx_doc **d, int max)
{
	int n = sse_records(r, max), i;

	for (i = 0; i < n; i++) {
		cr_assert_not_null(r[i].event, "a record without an event line: %s", r[i].data);
		d[i] = parse(r[i].data);
		cr_assert_str_eq(str_at(d[i], "type"), r[i].event);
	}
	return n;
}

static void feed_raw(const char *data)
{
	ai_stream_xlate_event(&sx, data, strlen(data), &out);
}

static void feed(const char *data)
{
	feed_raw(J(data));
}

#define A_START                                                                                    \
	"{'type':'message_start','message':{'id':'msg_01','type':'message','role':'assistant',"    \
	"'content':[],'model':'claude-sonnet-4-5','stop_reason':null,'stop_sequence':null,"        \
	"'usage':{'input_tokens':10,'output_tokens':1}}}"

/* The Anthropic stream of a text block and a tool_use block. */
static void anthropic_text_and_tool(void)
{
	feed(A_START);
	feed("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}");
	feed("{'type': 'ping'}");
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hel'}}");
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'lo!'}}");
	feed("{'type':'content_block_stop','index':0}");
	feed("{'type':'content_block_start','index':1,'content_block':{'type':'tool_use',"
	     "'id':'toolu_1','name':'get_weather','input':{}}}");
	feed("{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta',"
	     "'partial_json':'{\\'city\\':'}}");
	feed("{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta',"
	     "'partial_json':' \\'Paris\\'}'}}");
	feed("{'type':'content_block_stop','index':1}");
	feed("{'type':'message_delta','delta':{'stop_reason':'tool_use','stop_sequence':null},"
	     "'usage':{'output_tokens':7}}");
	feed("{'type':'message_stop'}");
	ai_stream_xlate_end(&sx, &out);
}

static void check_anthropic_text_and_tool_chunks(struct jsonx_doc **c)
{
	struct jsonx_doc *ch, *t;
	char args[64];

	/* 0: the role */
	ch = elem(c[0], "choices", 0);
	cr_assert_eq(len_at(c[0], "choices"), 1);
	cr_assert_eq(int_at(ch, "index"), 0);
	cr_assert_str_eq(str_at(ch, "delta.role"), "assistant");
	cr_assert_str_eq(dump_at(ch, "finish_reason"), "null");
	cr_assert_str_eq(str_at(c[0], "id"), "chatcmpl-msg_01");
	/* 1, 2: the text, in order */
	ch = elem(c[1], "choices", 0);
	cr_assert_str_eq(str_at(ch, "delta.content"), "Hel");
	cr_assert_str_eq(dump_at(ch, "finish_reason"), "null");
	ch = elem(c[2], "choices", 0);
	cr_assert_str_eq(str_at(ch, "delta.content"), "lo!");
	/* 3: the tool call opens with its id and name */
	ch = elem(c[3], "choices", 0);
	cr_assert(!jsonx_has(ch, "delta.content"));
	cr_assert_eq(len_at(ch, "delta.tool_calls"), 1);
	t = elem(ch, "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 0);
	cr_assert_str_eq(str_at(t, "id"), "toolu_1");
	cr_assert_str_eq(str_at(t, "type"), "function");
	cr_assert_str_eq(str_at(t, "function.name"), "get_weather");
	cr_assert_str_eq(str_at(t, "function.arguments"), "");
	/* 4, 5: its arguments, piece by piece, without id or name */
	t = elem(elem(c[4], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 0);
	cr_assert(!jsonx_has(t, "id"));
	cr_assert(!jsonx_has(t, "function.name"));
	cr_assert_str_eq(str_at(t, "function.arguments"), "{\"city\":");
	snprintf(args, sizeof(args), "%s", str_at(t, "function.arguments"));
	t = elem(elem(c[5], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 0);
	cr_assert_str_eq(str_at(t, "function.arguments"), " \"Paris\"}");
	strncat(args, str_at(t, "function.arguments"), sizeof(args) - strlen(args) - 1);
	cr_assert_str_eq(str_at(parse(args), "city"), "Paris");
	/* 6: the end of the choice */
	ch = elem(c[6], "choices", 0);
	cr_assert_str_eq(dump_at(ch, "delta"), "{}");
	cr_assert_str_eq(str_at(ch, "finish_reason"), "tool_calls");
}

Test(translate, stream_to_openai_text_and_tool_call_with_usage)
{
	struct jsonx_doc *c[RECS_MAX];
	int n, i, finished = 0;

	ai_stream_xlate_init(&sx, true, "my-alias", true);
	anthropic_text_and_tool();
	n = openai_chunks(c, RECS_MAX, "my-alias");
	cr_assert_eq(n, 8, "%s", out.p);
	check_anthropic_text_and_tool_chunks(c);
	for (i = 0; i < n - 1; i++) {
		const char *f;

		if (jsonx_get_str(elem(c[i], "choices", 0), "finish_reason", &f))
			finished++;
		cr_assert(!jsonx_has(c[i], "usage") || strcmp(dump_at(c[i], "usage"), "null") == 0);
	}
	cr_assert_eq(finished, 1);
	/* the usage chunk, last before [DONE] */
	cr_assert_eq(len_at(c[7], "choices"), 0);
	cr_assert_eq(int_at(c[7], "usage.prompt_tokens"), 10);
	cr_assert_eq(int_at(c[7], "usage.completion_tokens"), 7);
	cr_assert_eq(int_at(c[7], "usage.total_tokens"), 17);
}

Test(translate, stream_to_openai_without_include_usage_has_no_usage_chunk)
{
	struct jsonx_doc *c[RECS_MAX];
	int n, i;

	ai_stream_xlate_init(&sx, true, "my-alias", false);
	anthropic_text_and_tool();
	n = openai_chunks(c, RECS_MAX, "my-alias");
	cr_assert_eq(n, 7, "%s", out.p);
	check_anthropic_text_and_tool_chunks(c);
	for (i = 0; i < n; i++) {
		cr_assert(!jsonx_has(c[i], "usage") || strcmp(dump_at(c[i], "usage"), "null") == 0);
		cr_assert_eq(len_at(c[i], "choices"), 1);
	}
}

Test(translate, stream_to_openai_ping_and_block_events_write_nothing)
{
	ai_stream_xlate_init(&sx, true, "m", true);
	feed("{'type':'ping'}");
	feed("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}");
	feed("{'type':'content_block_stop','index':0}");
	feed("{'type':'message_stop'}");
	feed("{'type':'some_future_event','x':1}");
	cr_assert_eq(out.len, 0, "%s", out.p);
}

Test(translate, stream_to_openai_two_tool_blocks_get_indexes_0_and_1)
{
	struct jsonx_doc *c[RECS_MAX], *t;
	int n;

	ai_stream_xlate_init(&sx, true, "m", false);
	feed(A_START);
	feed("{'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}");
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hi'}}");
	feed("{'type':'content_block_stop','index':0}");
	feed("{'type':'content_block_start','index':1,'content_block':{'type':'tool_use',"
	     "'id':'toolu_a','name':'fa','input':{}}}");
	feed("{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta',"
	     "'partial_json':'{}'}}");
	feed("{'type':'content_block_stop','index':1}");
	feed("{'type':'content_block_start','index':2,'content_block':{'type':'tool_use',"
	     "'id':'toolu_b','name':'fb','input':{}}}");
	feed("{'type':'content_block_delta','index':2,'delta':{'type':'input_json_delta',"
	     "'partial_json':'{\\'k\\':1}'}}");
	feed("{'type':'content_block_stop','index':2}");
	feed("{'type':'message_delta','delta':{'stop_reason':'tool_use','stop_sequence':null},"
	     "'usage':{'output_tokens':9}}");
	feed("{'type':'message_stop'}");
	ai_stream_xlate_end(&sx, &out);
	n = openai_chunks(c, RECS_MAX, "m");
	cr_assert_eq(n, 7, "%s", out.p);
	t = elem(elem(c[2], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 0);
	cr_assert_str_eq(str_at(t, "id"), "toolu_a");
	t = elem(elem(c[3], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 0);
	cr_assert_str_eq(str_at(t, "function.arguments"), "{}");
	t = elem(elem(c[4], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 1);
	cr_assert_str_eq(str_at(t, "id"), "toolu_b");
	cr_assert_str_eq(str_at(t, "function.name"), "fb");
	t = elem(elem(c[5], "choices", 0), "delta.tool_calls", 0);
	cr_assert_eq(int_at(t, "index"), 1);
	cr_assert_str_eq(str_at(t, "function.arguments"), "{\"k\":1}");
	cr_assert_str_eq(str_at(elem(c[6], "choices", 0), "finish_reason"), "tool_calls");
}

Test(translate, stream_to_openai_stop_reasons_and_missing_message_delta)
{
	struct jsonx_doc *c[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, true, "m", true);
	feed(A_START);
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'x'}}");
	feed("{'type':'message_delta','delta':{'stop_reason':'max_tokens','stop_sequence':null},"
	     "'usage':{'output_tokens':1}}");
	ai_stream_xlate_end(&sx, &out);
	n = openai_chunks(c, RECS_MAX, "m");
	cr_assert_eq(n, 4, "%s", out.p);
	cr_assert_str_eq(str_at(elem(c[2], "choices", 0), "finish_reason"), "length");
	cr_assert_eq(int_at(c[3], "usage.total_tokens"), 11);

	/* A stream that ended without message_delta still ends its choice: "stop". */
	buf_reset(&out);
	ai_stream_xlate_init(&sx, true, "m", false);
	feed(A_START);
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'x'}}");
	ai_stream_xlate_end(&sx, &out);
	n = openai_chunks(c, RECS_MAX, "m");
	cr_assert_eq(n, 3, "%s", out.p);
	cr_assert_str_eq(str_at(elem(c[2], "choices", 0), "finish_reason"), "stop");
	cr_assert_str_eq(dump_at(elem(c[2], "choices", 0), "delta"), "{}");
}

/* The OpenAI stream of a text and a tool call, ending with finish, usage and [DONE]. */
#define O_CHUNK(choices)                                                                           \
	"{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1,'model':'gpt-4o',"        \
	"'choices':" choices ",'usage':null}"

static void openai_text_and_tool(const char *finish)
{
	feed(O_CHUNK("[{'index':0,'delta':{'role':'assistant','content':''},'logprobs':null,"
		     "'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'content':'Hel'},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'content':'lo!'},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'call_1',"
		     "'type':'function','function':{'name':'get_weather','arguments':''}}]},"
		     "'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'tool_calls':[{'index':0,"
		     "'function':{'arguments':'{\\'city\\':'}}]},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'tool_calls':[{'index':0,"
		     "'function':{'arguments':'\\'Paris\\'}'}}]},'finish_reason':null}]"));
	feed(fmt(O_CHUNK("[{'index':0,'delta':{},'finish_reason':'%s'}]"), finish));
	feed("{'id':'chatcmpl-1','object':'chat.completion.chunk','created':1,'model':'gpt-4o',"
	     "'choices':[],'usage':{'prompt_tokens':9,'completion_tokens':12,'total_tokens':21}}");
	{
		size_t before = out.len;

		feed_raw("[DONE]");
		cr_assert_eq(out.len, before, "[DONE] wrote something");
	}
	ai_stream_xlate_end(&sx, &out);
}

Test(translate, stream_to_anthropic_text_and_tool_call)
{
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	char args[64] = "";
	int n;

	ai_stream_xlate_init(&sx, false, "my-alias", false);
	openai_text_and_tool("tool_calls");
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 11, "%s", out.p);

	cr_assert_str_eq(r[0].event, "message_start");
	cr_assert_str_eq(str_at(d[0], "message.id"), "msg_chatcmpl-1");
	cr_assert_str_eq(str_at(d[0], "message.type"), "message");
	cr_assert_str_eq(str_at(d[0], "message.role"), "assistant");
	cr_assert_str_eq(str_at(d[0], "message.model"), "my-alias");
	cr_assert_eq(len_at(d[0], "message.content"), 0);
	cr_assert_str_eq(dump_at(d[0], "message.stop_reason"), "null");

	cr_assert_str_eq(r[1].event, "content_block_start");
	cr_assert_eq(int_at(d[1], "index"), 0);
	cr_assert_str_eq(str_at(d[1], "content_block.type"), "text");
	cr_assert_str_eq(str_at(d[1], "content_block.text"), "");

	cr_assert_str_eq(r[2].event, "content_block_delta");
	cr_assert_eq(int_at(d[2], "index"), 0);
	cr_assert_str_eq(str_at(d[2], "delta.type"), "text_delta");
	cr_assert_str_eq(str_at(d[2], "delta.text"), "Hel");
	cr_assert_str_eq(r[3].event, "content_block_delta");
	cr_assert_eq(int_at(d[3], "index"), 0);
	cr_assert_str_eq(str_at(d[3], "delta.text"), "lo!");

	cr_assert_str_eq(r[4].event, "content_block_stop");
	cr_assert_eq(int_at(d[4], "index"), 0);

	cr_assert_str_eq(r[5].event, "content_block_start");
	cr_assert_eq(int_at(d[5], "index"), 1);
	cr_assert_str_eq(str_at(d[5], "content_block.type"), "tool_use");
	cr_assert_str_eq(str_at(d[5], "content_block.id"), "call_1");
	cr_assert_str_eq(str_at(d[5], "content_block.name"), "get_weather");
	cr_assert_str_eq(dump_at(d[5], "content_block.input"), "{}");

	cr_assert_str_eq(r[6].event, "content_block_delta");
	cr_assert_eq(int_at(d[6], "index"), 1);
	cr_assert_str_eq(str_at(d[6], "delta.type"), "input_json_delta");
	cr_assert_str_eq(str_at(d[6], "delta.partial_json"), "{\"city\":");
	strcat(args, str_at(d[6], "delta.partial_json"));
	cr_assert_str_eq(r[7].event, "content_block_delta");
	cr_assert_eq(int_at(d[7], "index"), 1);
	cr_assert_str_eq(str_at(d[7], "delta.type"), "input_json_delta");
	strcat(args, str_at(d[7], "delta.partial_json"));
	cr_assert_str_eq(str_at(parse(args), "city"), "Paris");

	cr_assert_str_eq(r[8].event, "content_block_stop");
	cr_assert_eq(int_at(d[8], "index"), 1);

	cr_assert_str_eq(r[9].event, "message_delta");
	cr_assert_str_eq(str_at(d[9], "delta.stop_reason"), "tool_use");
	cr_assert_str_eq(dump_at(d[9], "delta.stop_sequence"), "null");
	cr_assert_eq(int_at(d[9], "usage.input_tokens"), 9);
	cr_assert_eq(int_at(d[9], "usage.output_tokens"), 12);

	cr_assert_str_eq(r[10].event, "message_stop");
	cr_assert_eq(len_at(d[10], ""), 1);
}

Test(translate, stream_to_anthropic_finish_reasons)
{
	static const struct {
		const char *finish, *stop;
	} cases[] = {{"stop", "end_turn"}, {"length", "max_tokens"}, {"tool_calls", "tool_use"}};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r[RECS_MAX];
		struct jsonx_doc *d[RECS_MAX];
		int n;

		buf_reset(&out);
		ai_stream_xlate_init(&sx, false, "m", true);
		openai_text_and_tool(cases[i].finish);
		n = anthropic_events(r, d, RECS_MAX);
		cr_assert_eq(n, 11);
		cr_assert_str_eq(r[9].event, "message_delta");
		cr_assert_str_eq(str_at(d[9], "delta.stop_reason"), cases[i].stop, "finish %s",
				 cases[i].finish);
	}
}

Test(translate, stream_to_anthropic_text_only)
{
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, false, "m", false);
	feed(O_CHUNK("[{'index':0,'delta':{'role':'assistant','content':''},"
		     "'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'content':'Hello!'},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{},'finish_reason':'stop'}]"));
	feed_raw("[DONE]");
	ai_stream_xlate_end(&sx, &out);
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 6, "%s", out.p);
	cr_assert_str_eq(r[0].event, "message_start");
	cr_assert_str_eq(r[1].event, "content_block_start");
	cr_assert_str_eq(r[2].event, "content_block_delta");
	cr_assert_str_eq(str_at(d[2], "delta.text"), "Hello!");
	cr_assert_str_eq(r[3].event, "content_block_stop");
	cr_assert_eq(int_at(d[3], "index"), 0);
	cr_assert_str_eq(r[4].event, "message_delta");
	cr_assert_str_eq(str_at(d[4], "delta.stop_reason"), "end_turn");
	/* no usage chunk came: zeros */
	cr_assert_eq(int_at(d[4], "usage.input_tokens"), 0);
	cr_assert_eq(int_at(d[4], "usage.output_tokens"), 0);
	cr_assert_str_eq(r[5].event, "message_stop");
}

Test(translate, stream_to_anthropic_two_tool_calls_are_two_blocks)
{
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, false, "m", false);
	feed(O_CHUNK("[{'index':0,'delta':{'role':'assistant','content':null,'tool_calls':["
		     "{'index':0,'id':'call_a','type':'function','function':{'name':'fa',"
		     "'arguments':''}}]},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'tool_calls':[{'index':0,"
		     "'function':{'arguments':'{}'}}]},'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{'tool_calls':[{'index':1,'id':'call_b',"
		     "'type':'function','function':{'name':'fb','arguments':'{\\'k\\':1}'}}]},"
		     "'finish_reason':null}]"));
	feed(O_CHUNK("[{'index':0,'delta':{},'finish_reason':'tool_calls'}]"));
	ai_stream_xlate_end(&sx, &out);
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 9, "%s", out.p);
	cr_assert_str_eq(r[0].event, "message_start");
	cr_assert_str_eq(r[1].event, "content_block_start");
	cr_assert_eq(int_at(d[1], "index"), 0);
	cr_assert_str_eq(str_at(d[1], "content_block.id"), "call_a");
	cr_assert_str_eq(str_at(d[1], "content_block.name"), "fa");
	cr_assert_str_eq(r[2].event, "content_block_delta");
	cr_assert_str_eq(str_at(d[2], "delta.partial_json"), "{}");
	cr_assert_str_eq(r[3].event, "content_block_stop");
	cr_assert_eq(int_at(d[3], "index"), 0);
	cr_assert_str_eq(r[4].event, "content_block_start");
	cr_assert_eq(int_at(d[4], "index"), 1);
	cr_assert_str_eq(str_at(d[4], "content_block.id"), "call_b");
	cr_assert_str_eq(r[5].event, "content_block_delta");
	cr_assert_eq(int_at(d[5], "index"), 1);
	cr_assert_str_eq(str_at(d[5], "delta.partial_json"), "{\"k\":1}");
	cr_assert_str_eq(r[6].event, "content_block_stop");
	cr_assert_eq(int_at(d[6], "index"), 1);
	cr_assert_str_eq(r[7].event, "message_delta");
	cr_assert_str_eq(str_at(d[7], "delta.stop_reason"), "tool_use");
	cr_assert_str_eq(r[8].event, "message_stop");
}

Test(translate, stream_to_anthropic_empty_stream_is_still_a_whole_message)
{
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, false, "my-alias", false);
	feed_raw("[DONE]");
	ai_stream_xlate_end(&sx, &out);
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 3, "%s", out.p);
	cr_assert_str_eq(r[0].event, "message_start");
	cr_assert_str_eq(str_at(d[0], "message.model"), "my-alias");
	cr_assert_str_eq(r[1].event, "message_delta");
	cr_assert_str_eq(str_at(d[1], "delta.stop_reason"), "end_turn");
	cr_assert_str_eq(r[2].event, "message_stop");
}

Test(translate, stream_malformed_data_is_ignored)
{
	static const char *const junk[] = {
	    "not json", "{", "", "{\"type\":", "[1,2]", "\"s\"", "{\"a\":1,\"a\":2}", "[DONE"};
	struct jsonx_doc *c[RECS_MAX];
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	size_t i;
	int n;

	/* Anthropic in: nothing comes out of junk, and the stream goes on. */
	ai_stream_xlate_init(&sx, true, "m", true);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		feed_raw(junk[i]);
		cr_assert_eq(out.len, 0, "junk %s wrote %s", junk[i], out.p);
	}
	ai_stream_xlate_event(&sx, "{\"type\":\"message_start\"}xx", 24, &out); /* n stops short */
	cr_assert_gt(out.len, 0);
	feed("{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'ok'}}");
	feed_raw("garbage");
	ai_stream_xlate_end(&sx, &out);
	n = openai_chunks(c, RECS_MAX, "m");
	cr_assert_eq(n, 4, "%s", out.p);
	cr_assert_str_eq(str_at(elem(c[1], "choices", 0), "delta.content"), "ok");

	/* OpenAI in: the same. */
	buf_reset(&out);
	ai_stream_xlate_init(&sx, false, "m", false);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		feed_raw(junk[i]);
		cr_assert_eq(out.len, 0, "junk %s wrote %s", junk[i], out.p);
	}
	feed(O_CHUNK("[{'index':0,'delta':{'content':'ok'},'finish_reason':null}]"));
	feed_raw("{{{");
	ai_stream_xlate_end(&sx, &out);
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 6, "%s", out.p);
	cr_assert_str_eq(str_at(d[2], "delta.text"), "ok");
}

Test(translate, stream_to_openai_error_event_becomes_error_data)
{
	struct rec r[RECS_MAX];
	struct jsonx_doc *e;
	int n;

	ai_stream_xlate_init(&sx, true, "m", true);
	feed(A_START);
	buf_reset(&out);
	feed("{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}");
	n = sse_records(r, RECS_MAX);
	cr_assert_eq(n, 1, "%s", out.p);
	cr_assert_null(r[0].event);
	e = parse(r[0].data);
	cr_assert_eq(len_at(e, ""), 1);
	cr_assert_str_eq(str_at(e, "error.message"), "Overloaded");
	cr_assert_str_eq(str_at(e, "error.type"), "server_error");
	cr_assert(!jsonx_has(e, "choices"));
}

/* --- text that must survive every direction ------------------------------------------ */

/* Quotes, backslashes, newlines, a tab, a control byte, and 2-, 3- and 4-byte UTF-8. */
#define TRICKY "He said \"hi\" \\ C:\\dir\\n\nline 2\ttab \x01 caf\xc3\xa9 日本語 🎉 </script>"

Test(translate, tricky_text_request_to_anthropic)
{
	const char *q = jq(TRICKY), *args = jq(fmt("{\"note\":%s}", jq(TRICKY)));
	struct jsonx_doc *r, *m, *b, *t;

	r = run_raw(
	    TO_A, TRICKY,
	    fmt("{\"messages\":[{\"role\":\"system\",\"content\":%s},"
		"{\"role\":\"user\",\"content\":%s},"
		"{\"role\":\"assistant\",\"content\":%s,\"tool_calls\":[{\"id\":%s,"
		"\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":%s}}]},"
		"{\"role\":\"tool\",\"tool_call_id\":%s,\"content\":%s}],"
		"\"stop\":%s,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
		"\"description\":%s,\"parameters\":{\"type\":\"object\",\"description\":%s}}}],"
		"\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":%s}}}",
		q, q, q, q, args, q, q, q, q, q, q));
	cr_assert_str_eq(str_at(r, "model"), TRICKY);
	cr_assert_str_eq(str_at(r, "system"), TRICKY);
	m = elem(r, "messages", 0);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), TRICKY);
	m = elem(r, "messages", 1);
	cr_assert_str_eq(str_at(elem(m, "content", 0), "text"), TRICKY);
	b = elem(m, "content", 1);
	cr_assert_str_eq(str_at(b, "id"), TRICKY);
	cr_assert_str_eq(str_at(b, "input.note"), TRICKY);
	m = elem(r, "messages", 2);
	b = elem(m, "content", 0);
	cr_assert_str_eq(str_at(b, "tool_use_id"), TRICKY);
	cr_assert_str_eq(str_at(b, "content"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "stop_sequences", 0), ""), TRICKY);
	t = elem(r, "tools", 0);
	cr_assert_str_eq(str_at(t, "description"), TRICKY);
	cr_assert_str_eq(str_at(t, "input_schema.description"), TRICKY);
	cr_assert_str_eq(str_at(r, "tool_choice.name"), TRICKY);
}

Test(translate, tricky_text_request_to_openai)
{
	const char *q = jq(TRICKY);
	struct jsonx_doc *r, *m, *c;

	r = run_raw(
	    TO_O, TRICKY,
	    fmt("{\"max_tokens\":9,\"system\":[{\"type\":\"text\",\"text\":%s}],"
		"\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":%s}]},"
		"{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":%s},"
		"{\"type\":\"tool_use\",\"id\":%s,\"name\":%s,\"input\":{\"note\":%s}}]},"
		"{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":%s,"
		"\"content\":%s}]}],\"stop_sequences\":[%s],"
		"\"tools\":[{\"name\":%s,\"description\":%s,\"input_schema\":{\"type\":"
		"\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":%s}}",
		q, q, q, q, q, q, q, q, q, q, q, q));
	cr_assert_str_eq(str_at(r, "model"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "messages", 0), "content"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "messages", 1), "content"), TRICKY);
	m = elem(r, "messages", 2);
	cr_assert_str_eq(str_at(m, "content"), TRICKY);
	c = elem(m, "tool_calls", 0);
	cr_assert_str_eq(str_at(c, "id"), TRICKY);
	cr_assert_str_eq(str_at(c, "function.name"), TRICKY);
	cr_assert_str_eq(str_at(args_of(c, "function.arguments"), "note"), TRICKY);
	m = elem(r, "messages", 3);
	cr_assert_str_eq(str_at(m, "tool_call_id"), TRICKY);
	cr_assert_str_eq(str_at(m, "content"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "stop", 0), ""), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "tools", 0), "function.name"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "tools", 0), "function.description"), TRICKY);
	cr_assert_str_eq(str_at(r, "tool_choice.function.name"), TRICKY);
}

Test(translate, tricky_text_answers)
{
	const char *q = jq(TRICKY), *args = jq(fmt("{\"note\":%s}", jq(TRICKY)));
	struct jsonx_doc *r, *c, *b;

	r = run_raw(ANS_O, TRICKY,
		    fmt("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":%s},"
			"{\"type\":\"tool_use\",\"id\":%s,\"name\":%s,\"input\":{\"note\":%s}}],"
			"\"stop_reason\":\"tool_use\"}",
			q, q, q, q));
	cr_assert_str_eq(str_at(r, "model"), TRICKY);
	c = elem(r, "choices", 0);
	cr_assert_str_eq(str_at(c, "message.content"), TRICKY);
	b = elem(c, "message.tool_calls", 0);
	cr_assert_str_eq(str_at(b, "id"), TRICKY);
	cr_assert_str_eq(str_at(b, "function.name"), TRICKY);
	cr_assert_str_eq(str_at(args_of(b, "function.arguments"), "note"), TRICKY);

	r = run_raw(
	    ANS_A, TRICKY,
	    fmt("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
		"\"content\":%s,\"tool_calls\":[{\"id\":%s,\"type\":\"function\","
		"\"function\":{\"name\":%s,\"arguments\":%s}}]},\"finish_reason\":"
		"\"tool_calls\"}]}",
		q, q, q, args));
	cr_assert_str_eq(str_at(r, "model"), TRICKY);
	cr_assert_str_eq(str_at(elem(r, "content", 0), "text"), TRICKY);
	b = elem(r, "content", 1);
	cr_assert_str_eq(str_at(b, "id"), TRICKY);
	cr_assert_str_eq(str_at(b, "name"), TRICKY);
	cr_assert_str_eq(str_at(b, "input.note"), TRICKY);
}

Test(translate, tricky_text_stream_to_openai)
{
	const char *q = jq(TRICKY);
	struct jsonx_doc *c[RECS_MAX], *t, *e;
	struct rec r[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, true, TRICKY, true);
	feed(A_START);
	feed_raw(fmt("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
		     "\"text_delta\",\"text\":%s}}",
		     q));
	feed_raw(fmt("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":"
		     "\"tool_use\",\"id\":%s,\"name\":%s,\"input\":{}}}",
		     q, q));
	feed_raw(fmt("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
		     "\"input_json_delta\",\"partial_json\":%s}}",
		     q));
	feed("{'type':'message_delta','delta':{'stop_reason':'tool_use'},"
	     "'usage':{'output_tokens':7}}");
	ai_stream_xlate_end(&sx, &out);
	n = openai_chunks(c, RECS_MAX, TRICKY);
	cr_assert_eq(n, 6, "%s", out.p);
	cr_assert_str_eq(str_at(elem(c[1], "choices", 0), "delta.content"), TRICKY);
	t = elem(elem(c[2], "choices", 0), "delta.tool_calls", 0);
	cr_assert_str_eq(str_at(t, "id"), TRICKY);
	cr_assert_str_eq(str_at(t, "function.name"), TRICKY);
	t = elem(elem(c[3], "choices", 0), "delta.tool_calls", 0);
	cr_assert_str_eq(str_at(t, "function.arguments"), TRICKY);

	buf_reset(&out);
	feed_raw(fmt("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":%s}}", q));
	n = sse_records(r, RECS_MAX);
	cr_assert_eq(n, 1);
	e = parse(r[0].data);
	cr_assert_str_eq(str_at(e, "error.message"), TRICKY);
}

Test(translate, tricky_text_stream_to_anthropic)
{
	const char *q = jq(TRICKY);
	struct rec r[RECS_MAX];
	struct jsonx_doc *d[RECS_MAX];
	int n;

	ai_stream_xlate_init(&sx, false, TRICKY, false);
	feed_raw(fmt("{\"id\":\"chatcmpl-\\\"q\\\"\",\"choices\":[{\"index\":0,\"delta\":"
		     "{\"content\":%s},\"finish_reason\":null}]}",
		     q));
	feed_raw(fmt("{\"id\":\"chatcmpl-\\\"q\\\"\",\"choices\":[{\"index\":0,\"delta\":"
		     "{\"tool_calls\":[{\"index\":0,\"id\":%s,\"type\":\"function\",\"function\":"
		     "{\"name\":%s,\"arguments\":%s}}]},\"finish_reason\":\"tool_calls\"}]}",
		     q, q, q));
	ai_stream_xlate_end(&sx, &out);
	n = anthropic_events(r, d, RECS_MAX);
	cr_assert_eq(n, 9, "%s", out.p);
	cr_assert_str_eq(str_at(d[0], "message.id"), "msg_chatcmpl-\"q\"");
	cr_assert_str_eq(str_at(d[0], "message.model"), TRICKY);
	cr_assert_str_eq(str_at(d[2], "delta.text"), TRICKY);
	cr_assert_str_eq(r[4].event, "content_block_start");
	cr_assert_str_eq(str_at(d[4], "content_block.id"), TRICKY);
	cr_assert_str_eq(str_at(d[4], "content_block.name"), TRICKY);
	cr_assert_str_eq(str_at(d[5], "delta.partial_json"), TRICKY);
	cr_assert_str_eq(str_at(d[7], "delta.stop_reason"), "tool_use");
}

/* --- input missing what the wire formats require --------------------------------------- */

/* A caller's body is translated as it came: members missing or of the wrong type are
 * taken as absent (an empty role, type or name), never a crash. */
Test(translate, missing_members_are_taken_as_absent)
{
	static const char *const to_anthropic[] = {
	    "{'messages':[{'content':'hi'}]}",
	    "{'messages':[{'role':1,'content':'hi'}]}",
	    "{'messages':[{'role':'assistant','tool_calls':[{'function':{}}]}]}",
	    "{'messages':[{'role':'tool','content':'x'}]}",
	    "{'messages':[],'tools':[{'function':{}}],'tool_choice':{'type':'function'}}",
	};
	static const char *const to_openai[] = {
	    "{'max_tokens':5,'messages':[{'content':'hi'}]}",
	    "{'max_tokens':5,'messages':[{'role':'user','content':[{'text':'hi'}]}]}",
	    "{'max_tokens':5,'messages':[{'role':'user','content':['hi']}]}",
	    "{'max_tokens':5,'messages':[{'role':'assistant','content':[{'text':'hi'}]}]}",
	    "{'max_tokens':5,'messages':[{'role':'assistant','content':[{'type':'tool_use'}]}]}",
	    "{'max_tokens':5,'messages':[],'tool_choice':{'type':'tool'}}",
	};
	struct jsonx_doc *d;
	size_t i;

	for (i = 0; i < sizeof(to_anthropic) / sizeof(to_anthropic[0]); i++)
		(void)run(ai_request_to_anthropic, "m", to_anthropic[i]);
	for (i = 0; i < sizeof(to_openai) / sizeof(to_openai[0]); i++)
		(void)run(ai_request_to_openai, "m", to_openai[i]);
	d = run(ai_request_to_openai, "m",
		"{'max_tokens':5,'messages':[],'tool_choice':{'type':'tool'}}");
	cr_assert_str_eq(str_at(d, "tool_choice"), "auto", "a tool choice without a name");
	d = run(ai_answer_to_openai, "m", "{'content':[{'text':'hi'}]}");
	cr_assert_str_eq(str_at(d, "id"), "chatcmpl-", "no id: an empty one, never (null)");
	d = run(ai_answer_to_anthropic, "m", "{'choices':[{'message':{}}]}");
	cr_assert_str_eq(str_at(d, "id"), "msg_");
}

Test(translate, stream_events_missing_members_are_ignored_or_defaulted)
{
	static const char *const anthropic[] = {
	    "{'foo':1}",
	    "{'type':'error','error':{}}",
	    "{'type':'content_block_start','index':0,'content_block':{'type':'tool_use'}}",
	    "{'type':'content_block_delta','index':99,'delta':{'partial_json':'x'}}",
	    "{'type':'message_delta','delta':{}}",
	};
	static const char *const openai[] = {
	    "{'choices':[{'delta':{'tool_calls':[{'index':0}]}}]}",
	    "{'choices':[{'delta':{'tool_calls':[{'index':1,'function':{'arguments':'{}'}}]}}]}",
	    "{'choices':[{'finish_reason':7}]}",
	};
	size_t i;

	buf_reset(&out);
	ai_stream_xlate_init(&sx, true, "m", true);
	for (i = 0; i < sizeof(anthropic) / sizeof(anthropic[0]); i++) {
		const char *j = J(anthropic[i]);

		ai_stream_xlate_event(&sx, j, strlen(j), &out);
	}
	ai_stream_xlate_end(&sx, &out);
	cr_assert_not_null(strstr(out.p, "\"message\":\"The provider failed mid-stream.\""));
	cr_assert_not_null(strstr(out.p, "data: [DONE]\n\n"));
	buf_reset(&out);
	ai_stream_xlate_init(&sx, false, "m", false);
	for (i = 0; i < sizeof(openai) / sizeof(openai[0]); i++) {
		const char *j = J(openai[i]);

		ai_stream_xlate_event(&sx, j, strlen(j), &out);
	}
	ai_stream_xlate_end(&sx, &out);
	cr_assert_not_null(strstr(out.p, "event: message_stop\n"));
}
