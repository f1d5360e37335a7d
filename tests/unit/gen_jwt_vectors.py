#!/usr/bin/env python3
# Writes tests/unit/jwt_vectors.h: fresh RSA and EC keys, a JWKS of their public halves,
# and tokens signed with them (valid, expired, not yet valid, wrong audience, unknown
# issuer, another key, alg none, HS256 keyed with the public PEM, tampered). Needs the
# cryptography package. Run once: python3 tests/unit/gen_jwt_vectors.py > tests/unit/jwt_vectors.h
import json, base64, hmac, hashlib
from cryptography.hazmat.primitives.asymmetric import rsa, ec, padding
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def ib(n, size=None):
    l = size or (n.bit_length()+7)//8
    return n.to_bytes(l,'big')

rk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ek = ec.generate_private_key(ec.SECP256R1())
rk2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
def pem(k): return k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

def sign(alg, key, header, claims):
    h = b64u(json.dumps(header, separators=(',',':')).encode())
    p = b64u(json.dumps(claims, separators=(',',':')).encode())
    si = (h+'.'+p).encode()
    if alg == 'RS256':
        s = key.sign(si, padding.PKCS1v15(), hashes.SHA256())
    elif alg == 'ES256':
        r, s_ = decode_dss_signature(key.sign(si, ec.ECDSA(hashes.SHA256())))
        s = ib(r,32)+ib(s_,32)
    elif alg == 'HS256':
        s = hmac.new(key, si, hashlib.sha256).digest()
    elif alg == 'none':
        s = b''
    return h+'.'+p+'.'+b64u(s)

ISS='https://idp.example.test/'
base = dict(iss=ISS, aud='api://acme', sub='user-1', org_id='team-a', exp=4102444800, iat=1700000000)
def cl(**kw):
    d = dict(base); d.update(kw)
    return {k:v for k,v in d.items() if v is not None}
toks = {
 'rs_ok': sign('RS256', rk, {'alg':'RS256','typ':'JWT','kid':'r1'}, cl()),
 'es_ok': sign('ES256', ek, {'alg':'ES256','typ':'JWT','kid':'e1'}, cl(sub='user-2', org_id=42, aud=['other','api://acme'])),
 'rs_expired': sign('RS256', rk, {'alg':'RS256','typ':'JWT'}, cl(exp=1700000000)),
 'rs_future': sign('RS256', rk, {'alg':'RS256','typ':'JWT'}, cl(nbf=4000000000)),
 'rs_wrong_aud': sign('RS256', rk, {'alg':'RS256','typ':'JWT'}, cl(aud='api://other')),
 'rs_unknown_iss': sign('RS256', rk, {'alg':'RS256','typ':'JWT'}, cl(iss='https://evil.test/')),
 'rs_other_key': sign('RS256', rk2, {'alg':'RS256','typ':'JWT'}, cl()),
 'none': sign('none', None, {'alg':'none','typ':'JWT'}, cl()),
 'hs_confusion': sign('HS256', pem(rk).encode(), {'alg':'HS256','typ':'JWT'}, cl()),
 'rs_no_exp': sign('RS256', rk, {'alg':'RS256','typ':'JWT'}, cl(exp=None)),
}
# tampered: change a payload claim, keep signature
h,p,s = toks['rs_ok'].split('.')
claims = json.loads(base64.urlsafe_b64decode(p+'=='))
claims['sub']='admin'
toks['rs_tampered'] = h+'.'+b64u(json.dumps(claims,separators=(',',':')).encode())+'.'+s

rpub = rk.public_key().public_numbers()
epub = ek.public_key().public_numbers()
jwks = {'keys':[
  {'kty':'EC','crv':'P-256','x':b64u(ib(epub.x,32)),'y':b64u(ib(epub.y,32)),'kid':'e1','use':'sig','alg':'ES256'},
  {'kty':'RSA','n':b64u(ib(rpub.n)),'e':b64u(ib(rpub.e)),'kid':'r1','use':'sig','alg':'RS256'},
  {'kty':'RSA','use':'enc','n':'AQAB','e':'AQAB'},
]}
def cstr(name, s):
    out = 'static const char %s[] =\n' % name
    lines = s.split('\n')
    parts=[]
    for i,l in enumerate(lines):
        if i < len(lines)-1: l += '\n'
        if l == '': continue
        # chunk long lines
        while len(l) > 80:
            parts.append(l[:80]); l = l[80:]
        parts.append(l)
    out += '\n'.join('    "%s"' % x.replace('\\','\\\\').replace('"','\\"').replace('\n','\\n') for x in parts) + ';\n'
    return out
print('/* Generated once by a Python script with the cryptography package (keys made then, thrown')
print(' * away after signing): RS256 and ES256 tokens for iss %s, aud api://acme, expiring in 2100. */' % ISS)
print('#define TEST_ISS "%s"' % ISS)
print(cstr('rsa_pem', pem(rk)))
print(cstr('ec_pem', pem(ek)))
print(cstr('jwks_json', json.dumps(jwks)))
for k,v in toks.items():
    print(cstr('tok_'+k, v))
