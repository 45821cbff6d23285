"""ReportLab vouchers, letters and the ledger PDF, drawn from service results."""
