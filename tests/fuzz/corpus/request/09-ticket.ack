„¡v¢id
¢opªticket.ack¤args¢id¬LOCAL-000001