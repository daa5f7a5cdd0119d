/** Who is calling the web service: an application, authenticated by one of the accepted schemes. */
export interface Principal {
  applicationId: string;
  clientId: string;
  scopes: string[];
  /** The scheme that authenticated the call: 'bearer' or one a plugin added. */
  scheme: string;
  /** Who owns what this caller creates: "app:<applicationId>" for an application, "user:<userId>" for a user. */
  subject: string;
}
