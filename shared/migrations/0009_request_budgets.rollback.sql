DROP TABLE request_budget_slots;
