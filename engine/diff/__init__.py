"""The verb `ladder diff`: what a rule or tariff change does to the content and to real cases."""
