"""基本医疗保险关系转移接续: transfer of coverage out of and into this region (DESIGN §7).

Two sides, each with its own acts and rules. ``transfer_out`` (转出): the suspended person takes
the 参保凭证 to the new region, that region's 联系函 arrives, the counter issues the 信息表 and
remits the personal account, which ends the enrollment here. ``transfer_in`` (转入): the counter
records the origin's 参保凭证 and sends the 联系函; the origin's 信息表 and funds arrive; the years
and balance are added to the local enrollment. ``cases`` holds what both share: the case and its
letters, the step voucher, the look-ups and the overdue list.

Import from the modules themselves; this package re-exports nothing.
"""
