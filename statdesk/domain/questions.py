"""The question bank for the panel, grouped as the Stat practice groups them (DOMAIN.md §4).

Written for StatDesk in its own words. The meeting editor offers these; the analyst picks some,
edits them, or types others. `{metric}` is replaced by the agenda item's metric name when the
item has one.
"""

from __future__ import annotations

QUESTION_BANK: dict[str, tuple[str, ...]] = {
    "Defining the problem": (
        "What problem are we trying to solve, in one sentence?",
        "Who is affected, where, and how many?",
        "How would residents notice that this is fixed?",
        "What is inside the department's control, and what is not?",
    ),
    "Data quality": (
        "Where do the numbers for {metric} come from, and who enters them?",
        "Has the way {metric} is counted changed since last year?",
        "What is missing from the data, and how big could the gap be?",
        "How soon after the period closes are the numbers final?",
    ),
    "Current status": (
        "Where does {metric} stand against its target this period?",
        "What happened this period that the numbers do not show?",
        "Which teams or areas are doing best, and which worst?",
    ),
    "Trends and targets": (
        "How does this period compare with the same period last year?",
        "Is the change a trend or a blip, and how do we know?",
        "Is the target still the right one, and why?",
        "What would it take to reach the target by the end of the fiscal year?",
    ),
    "Course correction": (
        "What will the department do differently before the next session?",
        "What resources or decisions are needed from the panel?",
        "What has been tried before, and what did we learn?",
        "Which other departments need to be part of the fix?",
    ),
    "Follow-up": (
        "What was done since the last session?",
        "What is still in the way, and who can clear it?",
        "When will the next deliverable arrive, and in what form?",
    ),
}


def questions_for(group: str, metric: str | None = None) -> list[str]:
    """The group's questions, with the metric's name filled in (or "this measure")."""
    name = metric or "this measure"
    return [q.replace("{metric}", name) for q in QUESTION_BANK[group]]


# The four answers that make a metric worth tracking (the guide's test), by field.
WORTH_QUESTIONS = (
    ("worth_concern", "answers a decision maker's concern"),
    ("worth_feedback_loop", "has a feedback loop the city controls"),
    ("worth_collection", "has a sustainable collection process"),
    ("worth_mandate", "has a mandate behind it"),
)
