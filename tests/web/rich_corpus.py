"""More documents for the facet, filter and related-lessons tests: five departments, three years.

The web conftest indexes these together with its own three documents into a second index,
so the tests written against the three-document index keep their exact counts.
"""

from __future__ import annotations

SCRIPT_TAG_3 = "<script>alert(3)</script>"

EXTRA_CORPUS = {
    "engineering/vendor-api-outage.md": """---
title: Payment vendor API outage during the spring release
type: retrospective
department: Engineering
date: 2024-03-02
project: Atlas migration
participants: [Priya Shah, Omar Haddad]
tags: [vendor delays, incident]
status: lesson-identified
---

## What went well
On-call found the failing vendor API within twenty minutes.

## What did not go well
The vendor status page showed green while invoices failed for two hours.

## Lessons
Monitor every vendor API ourselves instead of trusting the vendor status page.
""",
    "engineering/on-call-handover.md": """---
title: On-call handover notes lost between shifts
type: lesson
department: Engineering
date: 2022-11-08
project: Reliability
authors: [Omar Haddad]
tags: [shift handover, on-call]
status: observation
---

## What happened
The night on-call engineer paused a retry job and the day shift restarted it without context.

## Recommendation
Write every paused job into the shift handover template before the shift ends.
""",
    "finance/vendor-invoice-delays.md": """---
title: Vendor invoices arrived late and delayed the close
type: lesson
department: Finance
date: 2023-09-20
project: Close automation
authors: [Ana Ruiz]
tags: [vendor delays, month-end close]
status: lesson-identified
---

## Context
Three vendors send paper invoices after the month-end cut-off.

## Lesson
Late vendor invoices delay the close more than any accrual error.

## Recommendation
Agree an invoice cut-off calendar with every vendor and publish it before the quarter starts.
""",
    "finance/budget-review-meeting.md": """---
title: Budget review meeting on procurement spending
type: meeting-notes
department: Finance
date: 2022-05-03
participants: [Tom Li, Ana Ruiz]
tags: [procurement, budget]
status: action-in-progress
---

## Agenda
Procurement spending against the annual budget.

## Decisions
Procurement must attach the vendor quote to every purchase order above the budget limit.
""",
    "operations/warehouse-vendor-delays.md": """---
title: Warehouse vendor delays during peak season
type: lesson
department: Operations
date: 2023-12-01
project: Peak season
authors: [Hannah Weiss]
tags: [vendor delays, warehouse]
status: lesson-identified
---

## What happened
The packaging vendor's lead time doubled in November and the warehouse ran short of boxes.

## Recommendation
Ask every vendor for a written lead-time commitment before peak season starts.
""",
    "hr/onboarding-laptops-late.md": f"""---
title: New hires started without laptops because the vendor shipped late
type: lesson
department: HR
date: 2024-02-14
project: Onboarding
authors: [Farah Siddiqui]
tags: [onboarding, vendor delays, "{SCRIPT_TAG_3}"]
status: lesson-identified
---

## What happened
The laptop vendor shipped late and new hires started without laptops. A new hire typed {SCRIPT_TAG_3} into the onboarding form.

## Recommendation
Ask the laptop vendor for a written delivery commitment three weeks before every start date, and strip {SCRIPT_TAG_3} from pasted form text.
""",
    "hr/shift-handover-training.md": """---
title: Shift handover training for new supervisors
type: meeting-notes
department: HR
date: 2023-04-11
participants: [Farah Siddiqui, Hannah Weiss]
tags: [shift handover, training]
status: action-in-progress
---

## Discussion
New supervisors did not know the shift handover template; night shift context was lost.

## Decisions
HR adds the shift handover template to supervisor training.
""",
    "customer-support/ticket-backlog-retro.md": """---
title: Ticket backlog after the holiday season
type: retrospective
department: Customer Support
date: 2024-01-25
participants: [Lea Novak]
tags: [backlog, staffing]
status: lesson-identified
---

## What went well
Macros answered the most common questions about late deliveries.

## What did not go well
The carrier vendor delays doubled the tickets about late deliveries.

## Lessons
Plan support staffing with the vendor lead times the warehouse expects.
""",
    "customer-support/escalation-weekly.md": """---
title: Weekly escalation meeting on vendor outages
type: meeting-notes
department: Customer Support
date: 2022-08-30
participants: [Lea Novak, Omar Haddad]
tags: [escalation, incident]
status: action-in-progress
---

## Discussion
Customers reported failed payments while the payment vendor status page showed green.

## Decisions
Support escalates to Engineering on-call after ten failed payment tickets.
""",
}
