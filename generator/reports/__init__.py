"""Stage 3: figures made from the curriculum: delivery statistics, the 一校一表 checklist."""
