export interface NotificationPort {
  sendAppointmentReminder(patientId: string, at: Date): Promise<void>;
}
