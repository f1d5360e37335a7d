-- A tenant's own address lists and model versions, managed from the portal and the API
-- (the CLI had them only for operators): inside the tenant's transaction, behind row-level
-- security (migrations/0006), so a tenant adds, removes and activates only its own.
GRANT INSERT (tenant_id, network, verdict, note), DELETE ON ip_lists TO tollgate_console;
GRANT UPDATE (verdict, note) ON ip_lists TO tollgate_console;
GRANT UPDATE (active) ON abuse_models TO tollgate_console;
