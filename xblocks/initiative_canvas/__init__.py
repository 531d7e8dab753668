""""Sense of initiative" components: the business-model canvas builder."""
