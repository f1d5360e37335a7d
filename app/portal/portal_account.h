/* Sign-up, login and logout pages. */
#ifndef APP_PORTAL_ACCOUNT_H
#define APP_PORTAL_ACCOUNT_H

#include "../app.h"

enum err portal_signup_page(struct hctx *c) WUR;
/* Email, password and organisation name: a tenant on the Free plan in shadow mode, its
 * owner, and a session. */
enum err portal_signup(struct hctx *c) WUR;
enum err portal_login_page(struct hctx *c) WUR;
/* Checks the password (Argon2id); failures count against the address like bad keys. */
enum err portal_login(struct hctx *c) WUR;
/* Ends the session of either kind (a user's or an operator's). */
enum err portal_logout(struct hctx *c) WUR;
/* The operator's login: the same checks and throttle, against operators. */
enum err portal_admin_login_page(struct hctx *c) WUR;
enum err portal_admin_login(struct hctx *c) WUR;

/* Forgotten passwords: the request (a mail with a one-hour, one-use link, or nothing, with
 * the same answer), the link's form, and the new password (which ends every session). */
enum err portal_forgot_page(struct hctx *c) WUR;
enum err portal_forgot(struct hctx *c) WUR;
enum err portal_reset_page(struct hctx *c) WUR;
enum err portal_reset(struct hctx *c) WUR;
/* The link of the welcome mail: the address is confirmed. */
enum err portal_verify(struct hctx *c) WUR;

#endif
