"""What StatDesk writes for people to read: charts now, memos and exports to come. No Qt."""
