-- App-wide request budgets: calls to a provider counted per slot of each budget's period, shared by
-- every worker (shared/budget/). Rows older than a period are deleted as calls are counted.
CREATE TABLE request_budget_slots (
    provider      text    NOT NULL,
    period_ms     bigint  NOT NULL,
    slot_start_ms bigint  NOT NULL,
    used          integer NOT NULL CHECK (used >= 0),
    PRIMARY KEY (provider, period_ms, slot_start_ms)
);
