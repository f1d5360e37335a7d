-- Upstreams over HTTPS (Caddy verifies their certificates), and the Host header an
-- upstream gets: by default the URL's own host, never the client's; an operator may set
-- another per upstream (a virtual host behind a shared address).
ALTER TABLE upstreams DROP CONSTRAINT upstreams_url_check;
ALTER TABLE upstreams ADD CONSTRAINT upstreams_url_check
    CHECK (url ~ '^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/?$'
           OR url ~ '^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?/?$');
ALTER TABLE upstreams ADD COLUMN host_header text
    CHECK (host_header ~ '^[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$');
