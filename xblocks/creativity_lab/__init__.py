""""Innovation, creativity & problem-solving" components: the idea-generation board."""
