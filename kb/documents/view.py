"""A document as a page or the API shows it: the document, its action items, and whether
person names in it were replaced by roles (kb.redaction)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.documents.schema import DOC_TYPES, Document


@dataclass
class DocumentView:
    document: Document
    actions: list[dict] = field(default_factory=list)
    names_hidden: bool = False  # person names replaced by roles (kb.redaction)
    text_names_read: bool = True  # False: the index has not looked for names in the text

    def to_dict(self) -> dict:
        doc = self.document
        return {
            "id": doc.id,
            "title": doc.title,
            "type": doc.type,
            "type_label": DOC_TYPES[doc.type].label,
            "department": doc.department,
            "date": doc.date.isoformat(),
            "project": doc.project,
            "phase": doc.phase,
            "status": doc.status,
            "sensitivity": doc.sensitivity,
            "url": doc.url,
            "authors": doc.authors,
            "participants": doc.participants,
            "tags": doc.tags,
            "extra": doc.extra,
            "sections": [
                {"key": s.key, "heading": s.heading, "text": s.text} for s in doc.sections
            ],
            "actions": self.actions,
            "names_hidden": self.names_hidden,
            "text_names_read": self.text_names_read,
        }
