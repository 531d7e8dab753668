""""Learning to learn" components: the reflection journal (and, later, the competence self-assessment)."""
