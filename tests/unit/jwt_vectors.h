/* Generated once by a Python script with the cryptography package (keys made then, thrown
 * away after signing): RS256 and ES256 tokens for iss https://idp.example.test/, aud api://acme,
 * expiring in 2100. */
#define TEST_ISS "https://idp.example.test/"
static const char rsa_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlWTwHDWOvNbTYe+xSuDz\n"
			      "2jq5L52aZHkdvGGCosEajZnr+rVxeVKTfZ0G28Pwrntel3IdxN2KtiriZCGYp9ln\n"
			      "Ieb+3XT8Qdosxc0GVbsRXNrwVJmeojE4yaDjAcSxCFuz8wdiAP3wwdWgLnYTk0k2\n"
			      "6OFZjR6RPUWMi5v81xWTegvwpy0QqGdXVOMb46j6BU2Kl5FYJQrlEcNK+8fRNGG4\n"
			      "1mGCa6LMm6yytAidxFeqUvaC6TJ4RcSLHPMd+KVXg3DfIpbWETl+5+hshh5Hs9rA\n"
			      "7hCx6zhIjHNiLTMPSK5FvKacvYm470N+q9mcnzq6Tm1yDRO9wbFL3hlB0+zdWCuM\n"
			      "OQIDAQAB\n"
			      "-----END PUBLIC KEY-----\n";

static const char ec_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1S8aVulFGpYak37FCQxEzrzFqlni\n"
			     "Jhac0Z3k5x+c5ktf83ctObTCCqBdwtcQ6INSHY4gPJ/czt6L40DnVymKsw==\n"
			     "-----END PUBLIC KEY-----\n";

static const char jwks_json[] =
    "{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"1S8aVulFGpYak37FCQxEzrzFqlniJhac0Z"
    "3k5x-c5ks\", \"y\": \"X_N3LTm0wgqgXcLXEOiDUh2OIDyf3M7ei-NA51cpirM\", \"kid\": \"e1\", \"us"
    "e\": \"sig\", \"alg\": \"ES256\"}, {\"kty\": \"RSA\", \"n\": \"lWTwHDWOvNbTYe-xSuDz2jq5L52aZHk"
    "dvGGCosEajZnr-rVxeVKTfZ0G28Pwrntel3IdxN2KtiriZCGYp9lnIeb-3XT8Qdosxc0GVbsRXNrwVJm"
    "eojE4yaDjAcSxCFuz8wdiAP3wwdWgLnYTk0k26OFZjR6RPUWMi5v81xWTegvwpy0QqGdXVOMb46j6BU2"
    "Kl5FYJQrlEcNK-8fRNGG41mGCa6LMm6yytAidxFeqUvaC6TJ4RcSLHPMd-KVXg3DfIpbWETl-5-hshh5"
    "Hs9rA7hCx6zhIjHNiLTMPSK5FvKacvYm470N-q9mcnzq6Tm1yDRO9wbFL3hlB0-zdWCuMOQ\", \"e\": \""
    "AQAB\", \"kid\": \"r1\", \"use\": \"sig\", \"alg\": \"RS256\"}, {\"kty\": \"RSA\", \"use\": "
    "\"enc\", "
    "\"n\": \"AQAB\", \"e\": \"AQAB\"}]}";

static const char tok_rs_ok[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InIxIn0.eyJpc3MiOiJodHRwczovL2lkcC5l"
    "eGFtcGxlLnRlc3QvIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRl"
    "YW0tYSIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwfQ.KFLScFBMCOoREY5NfvZETdyqk"
    "Gd_V9hTR4IbBBAYyBUnnOs9EJCMlTOY_pO9tmI6oAYRGIlCSQp2daYaue019_ERK8vjSqlKWAumQYC1r"
    "iIYgJzepEMD9ptQYcCYCUiONEdLo6jeTRBl7xnGWmDxhG-jOIRPwrDUwDloz5XcxE8rj0diipMcAg-tQ"
    "4gs-9BgGhkdyJDR8IKsJujRCSOjsBwRb6r9xYJXOXvWw7_ZsDy_FwpA0Wpb2B7oIKfjdOY9ltYVWu1lR"
    "7F7aQ1d1qFm40omjG0cbJX-ac0mqw0h1NhSkAjrk4V0wwAbcZnlPkBJdf84dGiRxY7X7zK4MkdjXg";

static const char tok_es_ok[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImUxIn0.eyJpc3MiOiJodHRwczovL2lkcC5l"
    "eGFtcGxlLnRlc3QvIiwiYXVkIjpbIm90aGVyIiwiYXBpOi8vYWNtZSJdLCJzdWIiOiJ1c2VyLTIiLCJv"
    "cmdfaWQiOjQyLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTcwMDAwMDAwMH0.Ehg69ujZOp93h244nUTq"
    "YrStd1TRpevpQh1p_bX7m9aNnAEbwZB5bnhs6MgmzO4NSURn0_FbgBFRlzj-wZxOjw";

static const char tok_rs_expired[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImV4cCI"
    "6MTcwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwfQ.i5B0i1cgzHkcTUHZCGw44DfVVrYI2nt9NpHWbJu3"
    "wgh5g0aEpEZPCuWAZaU0Z6UKEGtFrqPZbLQFEpRurX9UTXU0QmR-hEO8grVTeQZ97r_L0VIKCzGswHJu"
    "OFFRmKNT8WSc7xDDGr7kkN2i6rp7AamuW5uPxXFTGv9H3tDDbJi47VvIXCmOuHiMHAPQz9CGMTtpv6gg"
    "5WFF3V7O-ifzyIQZU001Dj59O78AuyTqqnXmvjwBgZSo6D4Suox2lUFHpWv5ylWAJ0Hsqw45JUyykNg5"
    "QaoSZ80hN2I4KkAE4zI5O3pRElntLp2A3RXi2dRNFIT7iCnCQ9nYcGkUSds51Q";

static const char tok_rs_future[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImV4cCI"
    "6NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwLCJuYmYiOjQwMDAwMDAwMDB9.LFXK_3mC-Qicz-cI7d"
    "6k2RfZB7DLp_BHeOXCpxmBBfzw2jv7-RWn0T3JP1m7bzoUtAuSnoVCUR38fokxMltEbcjj_0P6hTVhX2"
    "n0L3M_ekSffLKq2hwqL40C1sZKQfmrk3JrIpueF0qzD21sWCQg2lL9MlOapXsm-mlenIa4o-3-eyAkLg"
    "iJ167W27NL5_NH-0UPkqeJwYDQjJsKvt1upYu2pPlqPeE6L3e6-MG93UUB9TIJfXadFzDqCj3o_HjbEx"
    "avchIUn8QgbdNB9MGW3I288TjUuAK6aKR43_2IDIoX-USZZzXtBtHs4ZXqy7oHJsOKnpUuErQyQyGOFk"
    "9Xnw";

static const char tok_rs_wrong_aud[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vb3RoZXIiLCJzdWIiOiJ1c2VyLTEiLCJvcmdfaWQiOiJ0ZWFtLWEiLCJleHA"
    "iOjQxMDI0NDQ4MDAsImlhdCI6MTcwMDAwMDAwMH0.VLKsfWXUaOOJx70hH8KJdCpkG1G2G54VJdAqhG2"
    "igjmNV_7VMCmGDOWvOKOfzPEEYK16u1sfy5HJJxpL5BMrZbpZs58ptGyNVHxSseCmPDIg5Sa_WZfRbqu"
    "IA3NF8jwqoYkOIJXVP_PRadXbVsz-_BLPdDoRfNARgU1WffKTLBJ3ZpzVm1voTlDFfeJABmgGGn0Xzry"
    "Msj-4FFWJIsZ27Q2MQXTRVhVPPvE35BnOnYOzxTfu5ybPFC8iBhBH_hDwuWpnsow3B8X1jsE41jdJpgw"
    "yC5_6_RX3zv1hp5BnRw2hXdg0okPCRhttLm49gZ--bULhV3gesP7o0Eius7RoFw";

static const char tok_rs_unknown_iss[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2V2aWwudGVzdC8iLCJhdWQ"
    "iOiJhcGk6Ly9hY21lIiwic3ViIjoidXNlci0xIiwib3JnX2lkIjoidGVhbS1hIiwiZXhwIjo0MTAyNDQ"
    "0ODAwLCJpYXQiOjE3MDAwMDAwMDB9.Y7J1JqsHGBPZ9WNzAwlPkS6u6YokNCPiDNuNBRoyUyZ_47WJ7q"
    "Z0lGzWZxp6Ly3moCivl8_LioCUlX2Mm5_bFaNJZbNkGCdhRkQ3tgN4dBP0k5QRlOyROeZeny0JF8ynq8"
    "h8ohNnXYVgGOGSxHSaLliMpwKiyuFovwwh2s3CTQnPr6k8Cy_wBuxS8TBoTosc3nZVETwCytZ2_uf5_i"
    "VJwAg0evclQjbQStwtHNs04whQrtBiIcz_eUmwJ9lSeCyKw_sTf0OqV1UH3e2y_pr4vkYDVZVvmfR_7Z"
    "63Ru0tLizNCqWNGA-XjDv2K0ib6YK3MUz8bnAdhf8xiuz9FwBKFw";

static const char tok_rs_other_key[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImV4cCI"
    "6NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwfQ.i9vqu0CMJAwfJjlRZVgKyJUnGpZDTy1vdM6JcZbW"
    "PB1hwWMxYMAuloAIkt-h53YmcsG991dyZPUD2IKvbwPdL-29N5WzjM--seJAhDY-KPQ3MlrEhYB6xmlJ"
    "_fwZpIQUd21DLSh1AGKBISqNlM6rxistQBUIgrt1lhpZBjW6FZHp3cSO335azOlNIkeE0lpBzh0FbHMX"
    "7_EQAXi10R_mKuHX0dfRCJirj9P8qb7ZWbg-7J1SzLlauIWfs9wF1d7-eW-GnFa9Kuw0zJBOT1ejeYrh"
    "DcGdZFWiJPyeMU7mvetnNqar4IiPwIVM5CdEtJu91Cn-1kt9Te1xZf4ScSlp9w";

static const char tok_none[] =
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Qv"
    "IiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImV4cCI6"
    "NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwfQ.";

static const char tok_hs_confusion[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImV4cCI"
    "6NDEwMjQ0NDgwMCwiaWF0IjoxNzAwMDAwMDAwfQ.MAWLvSgjFRiFGB_VQI5q8swrcsyx84sK4_apltYR"
    "te4";

static const char tok_rs_no_exp[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLnRlc3Q"
    "vIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6InVzZXItMSIsIm9yZ19pZCI6InRlYW0tYSIsImlhdCI"
    "6MTcwMDAwMDAwMH0.BsoMi0LvytVKZ8_QdobKimtRiGUIHAogmvV7RWWs4Z4rU1BT633rNYMNoDJpIsw"
    "GPZfu5GKjE0uY0S20BP2ntNASmMrMW3XJxEgQLZ2JFZg0lwOAiZhIhAUL-PjqQY4hT6BAi1ToTEIGRPA"
    "7huhf_3RA_B14Pghx2nd2lLJq9aCv9udwp6_hu2og766j4VBtw9zyE9qAO_yVsnMO3IpGW45rO_wz-J5"
    "DbRcKWXfCvX6m9D1SgmhbFXeZx0s5w_VFhFwKtFrFiAQpd7cyKkAqmdd7klX-EMg0A_FFfW9aldQ4iI2"
    "zyPL6LFUuHHAIG7oddhMvFiZzdPoAGhOblsAnpw";

static const char tok_rs_tampered[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InIxIn0.eyJpc3MiOiJodHRwczovL2lkcC5l"
    "eGFtcGxlLnRlc3QvIiwiYXVkIjoiYXBpOi8vYWNtZSIsInN1YiI6ImFkbWluIiwib3JnX2lkIjoidGVh"
    "bS1hIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3MDAwMDAwMDB9.KFLScFBMCOoREY5NfvZETdyqkGd"
    "_V9hTR4IbBBAYyBUnnOs9EJCMlTOY_pO9tmI6oAYRGIlCSQp2daYaue019_ERK8vjSqlKWAumQYC1riI"
    "YgJzepEMD9ptQYcCYCUiONEdLo6jeTRBl7xnGWmDxhG-jOIRPwrDUwDloz5XcxE8rj0diipMcAg-tQ4g"
    "s-9BgGhkdyJDR8IKsJujRCSOjsBwRb6r9xYJXOXvWw7_ZsDy_FwpA0Wpb2B7oIKfjdOY9ltYVWu1lR7F"
    "7aQ1d1qFm40omjG0cbJX-ac0mqw0h1NhSkAjrk4V0wwAbcZnlPkBJdf84dGiRxY7X7zK4MkdjXg";
