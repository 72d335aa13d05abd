-- Alert counts (issue 17). The dashboard counts open alerts by kind, and a list page counts the alerts
-- of its filters (kind, handled, clase, severity): with 150,000 alerts (58,000 contracts) the counts
-- walked rm_alerts_kind and looked every alert up in the table for `handled` and the severity, 200 ms
-- per dashboard. This index holds every column those counts read, in the order they filter, so a
-- count reads the index alone.
CREATE INDEX rm_alerts_counts ON rm_alerts (kind, handled, contract_kind, severity, severity_rank);
